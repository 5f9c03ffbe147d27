package dev.hotbind.discovery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The native threads of this process blocked in the accept system call, by listening descriptor, from
 * {@code /proc/self/task/<tid>/syscall} (number and arguments of the call a blocked thread is in) and
 * {@code comm} (its name: the first 15 bytes of a Java thread's name, which HotSpot gives it). A
 * platform thread blocked in {@code ServerSocket.accept()} shows no Java-visible trace of which
 * socket it waits on; this is where the kernel says. Reading these files does not disturb the thread.
 */
final class AcceptingTasks {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Longest thread name the kernel keeps. */
    static final int COMM_BYTES = 15;

    private final Map<Integer, List<String>> namesByFd;
    private final String unavailable;

    private AcceptingTasks(Map<Integer, List<String>> namesByFd, String unavailable) {
        this.namesByFd = namesByFd;
        this.unavailable = unavailable;
    }

    static AcceptingTasks read() {
        int[] accept = acceptSyscalls();
        if (accept.length == 0) {
            return new AcceptingTasks(Map.of(), "the accept system call's number on " + System.getProperty("os.arch")
                    + " is not known to hotbind");
        }
        Map<Integer, List<String>> byFd = new HashMap<>();
        int readable = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                String call;
                try {
                    call = new String(Files.readAllBytes(task.resolve("syscall")), StandardCharsets.US_ASCII).trim();
                    readable++;
                } catch (IOException | RuntimeException goneOrDenied) {
                    continue;
                }
                int fd = acceptedOn(call, accept);
                if (fd >= 0) {
                    try {
                        String comm = new String(Files.readAllBytes(task.resolve("comm")), StandardCharsets.UTF_8).trim();
                        byFd.computeIfAbsent(fd, f -> new ArrayList<>()).add(comm);
                    } catch (IOException | RuntimeException gone) {
                        // the thread ended meanwhile
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return new AcceptingTasks(Map.of(), TASKS + " is not readable: " + e);
        }
        return new AcceptingTasks(byFd, readable == 0 ? TASKS + "/*/syscall is not readable here" : null);
    }

    /** The names (as the kernel keeps them) of the threads blocked in accept on {@code fd}. */
    List<String> namesOn(int fd) {
        return namesByFd.getOrDefault(fd, List.of());
    }

    /** Why the kernel could not say, or null. */
    String unavailable() {
        return unavailable;
    }

    /** A Java thread name as the kernel shows it: cut to 15 bytes of UTF-8. */
    static String comm(String name) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= COMM_BYTES ? name : new String(bytes, 0, COMM_BYTES, StandardCharsets.UTF_8);
    }

    /** The descriptor a blocked {@code accept}/{@code accept4} call waits on: its first argument; else -1. */
    static int acceptedOn(String syscallLine, int[] acceptNumbers) {
        String[] fields = syscallLine.split(" ");
        if (fields.length < 2) {
            return -1;
        }
        try {
            int number = Integer.parseInt(fields[0]);
            for (int n : acceptNumbers) {
                if (n == number) {
                    return (int) Long.parseLong(fields[1].replaceFirst("^0x", ""), 16);
                }
            }
        } catch (NumberFormatException runningOrMalformed) {
            return -1;
        }
        return -1;
    }

    /** accept and accept4, per architecture (Linux's unistd tables). */
    private static int[] acceptSyscalls() {
        switch (System.getProperty("os.arch")) {
            case "amd64":
            case "x86_64":
                return new int[] {43, 288};
            case "aarch64":
                return new int[] {202, 242};
            default:
                return new int[0];
        }
    }
}
