package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.SlowHttpApp;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Migration;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Zero-downtime JVM replacement: two JVMs with reuseport=true share a port; draining the old one moves
 * all traffic to the new one, and its exit is not noticed by clients under continuous load.
 */
class ReusePortHandoverIT {
    private static final String OPTIONS = "reuseport=true";
    private static final int CLIENTS = 2;
    /** Whether the kernel hands a closing listener's queued connections to the rest of its SO_REUSEPORT group. */
    private static final boolean MIGRATION = Migration.enabled();

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void drainingTheOldJvmHandsAllTrafficToTheNewOne(Jdk jdk) throws Exception {
        try (TargetJvm old = TargetJvm.on(jdk).agentOptions(OPTIONS).start("ready", SlowHttpApp.class.getName(), "old")) {
            int port = old.awaitPort("http");
            try (TargetJvm fresh = TargetJvm.on(jdk).agentOptions(OPTIONS)
                    .start("ready", SlowHttpApp.class.getName(), "new", Integer.toString(port));
                 Load load = new Load(port, CLIENTS)) {
                HotbindJmx oldJmx = old.hotbind();
                ObjectName oldListener = oldJmx.awaitListenerOnPort(port);
                assertEquals(Boolean.TRUE, oldJmx.attribute(oldListener, "ReusePort"));
                assertEquals(Boolean.TRUE, fresh.hotbind().attribute(fresh.hotbind().awaitListenerOnPort(port), "ReusePort"));
                Poll.until("both JVMs serving", () -> load.served("old") >= 10 && load.served("new") >= 10);

                CompositeData drained = oldJmx.invoke(oldListener, "drain", new Object[] {20_000L}, new String[] {"long"});
                assertEquals(0, drained.get("forceClosed"), String.valueOf(drained.get("summary")));
                int failedByDrain = load.failures.size();
                long oldAtDrain = load.served("old");
                long newAtDrain = load.served("new");
                Poll.until("100 more requests served by the new JVM", () -> load.served("new") >= newAtDrain + 100);
                assertEquals(oldAtDrain, load.served("old"), "the drained JVM serves nothing more");

                int failedBeforeExit = load.failures.size();
                old.process().destroy();
                old.awaitExit(Duration.ofSeconds(30));
                long newAtExit = load.served("new");
                Poll.until("50 more requests after the old JVM exited", () -> load.served("new") >= newAtExit + 50);
                load.close();
                System.out.println(jdk + " handover under load, tcp_migrate_req=" + (MIGRATION ? 1 : 0) + ": old served " + load.served("old") + ", new served "
                        + load.served("new") + ", failed " + load.failures.size() + " (" + failedByDrain + " by the time the drain "
                        + "returned, " + (failedBeforeExit - failedByDrain) + " more before the old JVM's exit) "
                        + load.failures);
                if (MIGRATION) {
                    assertEquals(List.of(), load.failures, "failed requests across the handover");
                } else {
                    // Without net.ipv4.tcp_migrate_req=1 hotbind hands the old socket's queue to the old
                    // application; only a connection caught in its handshake as the socket closes (a window
                    // of microseconds) can still be reset.
                    assertTrue(load.failures.size() <= 1 && load.failures.stream()
                            .allMatch(f -> f.contains("Connection reset")), load.failures.toString());
                }
            }
        }
    }

    /** Clients sending requests back to back, each on a new connection, counting who answered. */
    private static final class Load implements AutoCloseable {
        private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
        final List<String> failures = new CopyOnWriteArrayList<>();
        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        Load(int port, int clients) {
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> {
                    while (running) {
                        try {
                            served.computeIfAbsent(Http.get(port, "/who"), k -> new AtomicLong()).incrementAndGet();
                        } catch (IOException e) {
                            failures.add(e.toString());
                        }
                    }
                }, "load-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        long served(String who) {
            AtomicLong n = served.get(who);
            return n == null ? 0 : n.get();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(30_000);
            }
        }
    }
}
