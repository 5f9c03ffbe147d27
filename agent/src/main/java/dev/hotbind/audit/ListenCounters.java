package dev.hotbind.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The network namespace's count of connections the kernel dropped because a listener's accept queue
 * was full ({@code TcpExt: ListenOverflows}) and of all drops at listeners ({@code ListenDrops}, which
 * includes the overflows), from {@code /proc/self/net/netstat}. They count every listener of the
 * namespace, other processes' too: they say that queues overflowed, the listeners' depths say whose.
 */
public record ListenCounters(long overflows, long drops) {
    /** Not readable here (not Linux, or no such counters): -1 for both. */
    public static final ListenCounters UNKNOWN = new ListenCounters(-1, -1);
    private static final Path NETSTAT = Path.of("/proc/self/net/netstat");

    public boolean known() {
        return overflows >= 0;
    }

    /** The counters now, or {@link #UNKNOWN}. */
    static ListenCounters read() {
        try (BufferedReader in = Files.newBufferedReader(NETSTAT, StandardCharsets.ISO_8859_1)) {
            String header = null;
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("TcpExt:")) {
                    continue;
                }
                if (header == null) {
                    header = line;
                } else {
                    return parse(header, line);
                }
            }
        } catch (IOException | RuntimeException unreadable) {
            // not Linux, or the file is gone: the audit goes on without the counters
        }
        return UNKNOWN;
    }

    /** The two counters from the {@code TcpExt:} header line and the value line below it. */
    static ListenCounters parse(String header, String values) {
        String[] names = header.trim().split("\\s+");
        String[] numbers = values.trim().split("\\s+");
        long overflows = -1;
        long drops = -1;
        for (int i = 1; i < names.length && i < numbers.length; i++) {
            if (names[i].equals("ListenOverflows")) {
                overflows = Long.parseLong(numbers[i]);
            } else if (names[i].equals("ListenDrops")) {
                drops = Long.parseLong(numbers[i]);
            }
        }
        return overflows < 0 || drops < 0 ? UNKNOWN : new ListenCounters(overflows, drops);
    }
}
