package dev.hotbind.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a server JVM's CPU goes, read from outside it in /proc (so nothing runs in the measured JVM and
 * its VM threads are seen too): each thread's CPU time in nanoseconds ({@code task/<tid>/schedstat},
 * first field, the scheduler's own count, finer than the 10 ms ticks of {@code stat}), summed by what the
 * thread's name ({@code comm}, at most 15 characters) says it is. For the application's threads also
 * how often they were switched out ({@code status}: voluntary and involuntary context switches) and
 * their kernel time ({@code stat}, in ticks): whether a pair's difference is the pool being woken more
 * often (it was not: 2.06–2.25 switches per connection on both sides) or loopback packet work charged to
 * the server's threads rather than the client's (this kernel has no IRQ time accounting).
 */
final class ThreadCpu {
    static final String ACCEPT = "accept thread";
    static final String WORKERS = "worker threads";
    static final String GC_VM = "GC / VM";
    static final String JIT = "JIT compiler";
    static final String HOTBIND = "hotbind-*";
    static final String OTHER = "other";
    static final List<String> CATEGORIES = List.of(ACCEPT, WORKERS, GC_VM, JIT, HOTBIND, OTHER);
    /** {@code stat}'s unit: USER_HZ, 100 on every Linux this runs on. */
    static final long NANOS_PER_TICK = 10_000_000L;

    private ThreadCpu() {
    }

    /** One thread's name, CPU nanoseconds, context switches and kernel-mode ticks so far. */
    record Task(String comm, long nanos, long switches, long systemTicks) {
    }

    /** The application's threads' context switches and kernel-mode CPU between two reads. */
    record Scheduling(long switches, long systemNanos) {
    }

    /** The live threads of {@code pid} by thread id; a thread that exits while being read is skipped. */
    static Map<Long, Task> read(long pid) {
        Map<Long, Task> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    long nanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                    long switches = 0;
                    long systemTicks = 0;
                    if (isApplication(comm)) {
                        switches = switches(Files.readString(task.resolve("status")));
                        systemTicks = systemTicks(Files.readString(task.resolve("stat")));
                    }
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Task(comm, nanos, switches, systemTicks));
                } catch (NoSuchFileException exited) {
                    // ended between the listing and the read
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the threads of server JVM " + pid, e);
        }
        return threads;
    }

    /**
     * CPU nanoseconds per category between two reads: threads alive at the end, less what they had at the
     * start (0 for threads started meanwhile). A thread that ended meanwhile is missing here; the process's
     * CPU time, read too, shows how much that was.
     */
    static Map<String, Long> delta(Map<Long, Task> start, Map<Long, Task> end) {
        Map<String, Long> delta = new LinkedHashMap<>();
        CATEGORIES.forEach(c -> delta.put(c, 0L));
        end.forEach((tid, t) -> {
            Task before = start.get(tid);
            delta.merge(category(t.comm()), t.nanos() - (before == null ? 0 : before.nanos()), Long::sum);
        });
        return delta;
    }

    /** The application's threads' context switches and kernel time between two reads (threads alive at the end). */
    static Scheduling scheduling(Map<Long, Task> start, Map<Long, Task> end) {
        long switches = 0;
        long systemTicks = 0;
        for (Map.Entry<Long, Task> e : end.entrySet()) {
            Task t = e.getValue();
            if (isApplication(t.comm())) {
                Task before = start.get(e.getKey());
                switches += t.switches() - (before == null ? 0 : before.switches());
                systemTicks += t.systemTicks() - (before == null ? 0 : before.systemTicks());
            }
        }
        return new Scheduling(switches, systemTicks * NANOS_PER_TICK);
    }

    private static boolean isApplication(String comm) {
        return comm.startsWith("bench-");
    }

    /** voluntary_ctxt_switches + nonvoluntary_ctxt_switches of a {@code status} file. */
    private static long switches(String status) {
        long sum = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("voluntary_ctxt_switches:") || line.startsWith("nonvoluntary_ctxt_switches:")) {
                sum += Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        return sum;
    }

    /** Field 15 (stime) of a {@code stat} line; the name in field 2 may hold spaces, so count after its ')'. */
    private static long systemTicks(String stat) {
        String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(after[12]);
    }

    /** The benchmark server's own threads are bench-*; HotSpot names its native threads as below. */
    static String category(String comm) {
        if (comm.startsWith("bench-acceptor") || comm.startsWith("bench-selector")) {
            return ACCEPT;
        }
        if (isApplication(comm)) {
            return WORKERS;
        }
        if (comm.startsWith("hotbind-")) {
            return HOTBIND;
        }
        if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
            return JIT;
        }
        if (comm.startsWith("VM Thread") || comm.startsWith("GC Thread") || comm.startsWith("G1 ")
                || comm.startsWith("VM Periodic")) {
            return GC_VM;
        }
        return OTHER;
    }
}
