package dev.hotbind.it.measure;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.HoldingApp;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not part of the test suite (its name matches no surefire include): the CPU time of
 * the {@code hotbind-audit} thread over a minute, at the default audit interval, with 10,000 open
 * loopback connections. Run it with
 * {@code mvn -q verify -pl agent,demo-app,integration-tests -Dtest=AuditCpuMeasurement -Dsurefire.failIfNoSpecifiedTests=false}
 * (set {@code -Dhotbind.measure.connections} and {@code -Dhotbind.measure.seconds} to vary it).
 */
class AuditCpuMeasurement {
    @Test
    void auditCpuWithManyConnections() throws Exception {
        int connections = Integer.getInteger("hotbind.measure.connections", 10_000);
        int seconds = Integer.getInteger("hotbind.measure.seconds", 60);
        List<Socket> clients = new ArrayList<>();
        try (TargetJvm target = TargetJvm.on(Jdk.all().get(0)).jvmArg("-Xmx512m")
                .start("holding-app ready", HoldingApp.class.getName())) {
            int port = target.awaitPort("holding");
            for (int i = 0; i < connections; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            HotbindJmx hotbind = target.hotbind();
            Poll.until("all " + connections + " connections registered", Duration.ofMinutes(5),
                    () -> ((Integer) hotbind.agent("OpenConnectionCount")) >= connections);
            ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(hotbind.connection(),
                    ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
            long audit = auditThread(threads);
            long audits0 = (Long) hotbind.agent("AuditCount");
            long cpu0 = threads.getThreadCpuTime(audit);
            long wall0 = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long cpu = threads.getThreadCpuTime(audit) - cpu0;
            long wall = System.nanoTime() - wall0;
            long audits = (Long) hotbind.agent("AuditCount") - audits0;
            double percent = 100.0 * cpu / wall;
            System.out.printf(Locale.ROOT, "hotbind-audit with %d open connections on %s: %.1f ms CPU over %.1f s "
                    + "(%d audits, %.2f ms each) = %.3f %% of one core; options %s%n", connections, target.jdk(),
                    cpu / 1e6, wall / 1e9, audits, audits == 0 ? 0 : cpu / 1e6 / audits, percent,
                    hotbind.agent("Options"));
            assertTrue(audits > 0, "the audit ran");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }

    private static long auditThread(ThreadMXBean threads) {
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null && "hotbind-audit".equals(info.getThreadName())) {
                return info.getThreadId();
            }
        }
        throw new AssertionError("no hotbind-audit thread in the target");
    }
}
