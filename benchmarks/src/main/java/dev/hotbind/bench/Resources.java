package dev.hotbind.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * What the server JVM holds at one moment, for the stress and soak commands: heap after a full GC
 * (asked over JMX, so the figure is what survives, not what awaits collection), open descriptors (its
 * /proc/pid/fd entries), live threads, threads the JVM finds deadlocked, and hotbind's own count of open
 * accepted connections. A leak shows as a figure that keeps growing between samples and ends above the start.
 */
record Resources(long heapAfterGcBytes, int fds, int threads, int deadlocked, int openConnections,
                 List<String> threadNames) {

    static Resources sample(ServerJvm server) throws IOException {
        MBeanServerConnection jmx = server.jmx();
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(jmx, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(jmx, ManagementFactory.THREAD_MXBEAN_NAME,
                ThreadMXBean.class);
        memory.gc();
        long[] deadlocked = threads.findDeadlockedThreads();
        int open;
        try {
            open = (Integer) jmx.getAttribute(new ObjectName("dev.hotbind:type=Agent"), "OpenConnectionCount");
        } catch (JMException e) {
            throw new IOException("reading hotbind's OpenConnectionCount: " + e, e);
        }
        List<String> names = Arrays.stream(threads.getThreadInfo(threads.getAllThreadIds()))
                .filter(Objects::nonNull).map(ThreadInfo::getThreadName).sorted().toList();
        return new Resources(memory.getHeapMemoryUsage().getUsed(), fds(server.pid()), names.size(),
                deadlocked == null ? 0 : deadlocked.length, open, names);
    }

    /**
     * Samples once a second until the figures that count connections and threads are back to {@code start}
     * or {@code within} has passed, and answers the last sample with how long it took: JMX clients that have
     * closed keep their RMI connection (a descriptor and a thread in the server) for about 15 s more.
     */
    static Settled settled(ServerJvm server, Resources start, Duration within) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        long deadline = begin + within.toNanos();
        Resources now = sample(server);
        while ((now.fds > start.fds || now.threads > start.threads || now.openConnections > start.openConnections)
                && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            now = sample(server);
        }
        return new Settled(now, (System.nanoTime() - begin) / 1_000_000_000.0);
    }

    /** The end sample and the seconds waited for it. */
    record Settled(Resources resources, double seconds) {
        String against(Resources start) {
            return Report.f("(%.0f s after the load) ", seconds) + resources.against(start);
        }
    }

    private static int fds(long pid) throws IOException {
        try (Stream<Path> entries = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return (int) entries.count();
        }
    }

    String line() {
        return Report.f("heap after GC %.1f MB, fds %d, threads %d, deadlocked threads %d, hotbind open connections %d",
                heapAfterGcBytes / 1048576.0, fds, threads, deadlocked, openConnections);
    }

    /** The end against the start, each figure with its change, and the threads that were not there at the start. */
    String against(Resources start) {
        List<String> added = new ArrayList<>(threadNames);
        start.threadNames.forEach(added::remove);
        return Report.f("heap after GC %.1f -> %.1f MB (%+.1f), fds %d -> %d (%+d), threads %d -> %d (%+d), "
                        + "deadlocked threads %d, hotbind open connections %d -> %d",
                start.heapAfterGcBytes / 1048576.0, heapAfterGcBytes / 1048576.0,
                (heapAfterGcBytes - start.heapAfterGcBytes) / 1048576.0, start.fds, fds, fds - start.fds,
                start.threads, threads, threads - start.threads, deadlocked, start.openConnections, openConnections)
                + (added.isEmpty() ? "" : "; threads not there at the start: " + String.join(", ", added));
    }
}
