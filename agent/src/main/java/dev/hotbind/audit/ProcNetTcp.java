package dev.hotbind.audit;

import java.net.InetAddress;
import java.nio.ByteOrder;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Parses the text of {@code /proc/net/tcp} and {@code /proc/net/tcp6}. Only the rows the audit uses
 * are decoded (listening sockets and those in CLOSE_WAIT): with ten thousand connections the table
 * is megabytes, and skipping a row costs a glance at its state column.
 */
public final class ProcNetTcp {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private ProcNetTcp() {
    }

    /** The states the audit reads: listeners and connections the peer has left. */
    private static final IntPredicate AUDITED = state -> state == KernelSocket.LISTEN || state == KernelSocket.CLOSE_WAIT;

    /** The LISTEN and CLOSE_WAIT rows of one table's text, header and malformed lines skipped. */
    public static List<KernelSocket> parse(CharSequence text) {
        return parse(text, AUDITED);
    }

    /** The rows of one table's text whose TCP state is one of {@code states}. */
    public static List<KernelSocket> parse(CharSequence text, IntPredicate states) {
        List<KernelSocket> rows = new ArrayList<>();
        int length = text.length();
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = lineStart;
            while (lineEnd < length && text.charAt(lineEnd) != '\n') {
                lineEnd++;
            }
            KernelSocket row = row(text, lineStart, lineEnd, states);
            if (row != null) {
                rows.add(row);
            }
            lineStart = lineEnd + 1;
        }
        return rows;
    }

    /** One line: a LISTEN or CLOSE_WAIT row, or null (header, another state, malformed). */
    public static KernelSocket parseLine(CharSequence line) {
        return row(line, 0, line.length(), AUDITED);
    }

    /** Columns: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode. */
    private static KernelSocket row(CharSequence text, int from, int to, IntPredicate states) {
        int[] bounds = new int[20];
        int fields = 0;
        int i = from;
        while (i < to && fields < 10) {
            while (i < to && text.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            while (i < to && text.charAt(i) != ' ') {
                i++;
            }
            if (start < i) {
                bounds[2 * fields] = start;
                bounds[2 * fields + 1] = i;
                fields++;
            }
        }
        if (fields < 10 || text.charAt(bounds[1] - 1) != ':') {
            return null;
        }
        int state = (int) hex(text, bounds[6], bounds[7]);
        if (!states.test(state)) {
            return null;
        }
        try {
            int local = colon(text, bounds[2], bounds[3]);
            int remote = colon(text, bounds[4], bounds[5]);
            int queues = colon(text, bounds[8], bounds[9]);
            return new KernelSocket(address(text, bounds[2], local), (int) hex(text, local + 1, bounds[3]),
                    address(text, bounds[4], remote), (int) hex(text, remote + 1, bounds[5]), state,
                    hex(text, bounds[8], queues), hex(text, queues + 1, bounds[9]),
                    Long.parseLong(text.subSequence(bounds[18], bounds[19]).toString()));
        } catch (RuntimeException | UnknownHostException malformed) {
            return null;
        }
    }

    private static int colon(CharSequence text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == ':') {
                return i;
            }
        }
        throw new IllegalArgumentException("no ':' in " + text.subSequence(from, to));
    }

    private static long hex(CharSequence text, int from, int to) {
        if (from >= to || to - from > 16) {
            throw new IllegalArgumentException("not a hex field");
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                throw new IllegalArgumentException("not hex: " + text.subSequence(from, to));
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    /**
     * The kernel prints addresses as 32-bit words in host byte order.
     * IPv4-mapped IPv6 addresses ({@code ::ffff:a.b.c.d}, how Java's dual-stack sockets bind IPv4)
     * come back as Inet4Address, so they compare equal to what Java reports.
     */
    private static InetAddress address(CharSequence text, int from, int to) throws UnknownHostException {
        int digits = to - from;
        if (digits != 8 && digits != 32) {
            throw new IllegalArgumentException("address of " + digits + " hex digits");
        }
        byte[] bytes = new byte[digits / 2];
        for (int word = 0; word < digits / 8; word++) {
            long value = hex(text, from + word * 8, from + word * 8 + 8);
            for (int b = 0; b < 4; b++) {
                bytes[word * 4 + b] = (byte) (value >>> (8 * (LITTLE_ENDIAN ? b : 3 - b)));
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
