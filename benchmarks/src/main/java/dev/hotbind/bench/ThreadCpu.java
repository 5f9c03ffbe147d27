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
 * thread's name ({@code comm}, at most 15 characters) says it is.
 */
final class ThreadCpu {
    static final String APP = "application";
    static final String GC_VM = "GC / VM";
    static final String JIT = "JIT compiler";
    static final String HOTBIND = "hotbind-*";
    static final String OTHER = "other";
    static final List<String> CATEGORIES = List.of(APP, GC_VM, JIT, HOTBIND, OTHER);

    private ThreadCpu() {
    }

    /** One thread's name and CPU nanoseconds so far. */
    record Task(String comm, long nanos) {
    }

    /** The live threads of {@code pid} by thread id; a thread that exits while being read is skipped. */
    static Map<Long, Task> read(long pid) {
        Map<Long, Task> threads = new HashMap<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String comm = Files.readString(task.resolve("comm")).strip();
                    String schedstat = Files.readString(task.resolve("schedstat"));
                    threads.put(Long.parseLong(task.getFileName().toString()),
                            new Task(comm, Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')))));
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

    /** The benchmark server's own threads are bench-*; HotSpot names its native threads as below. */
    static String category(String comm) {
        if (comm.startsWith("bench-")) {
            return APP;
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
