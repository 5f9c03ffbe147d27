package dev.hotbind.audit;

import dev.hotbind.registry.ListenerRecord;
import java.io.BufferedReader;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

/**
 * The kernel's view of this process's TCP sockets: Linux {@code /proc/self/net/tcp}, {@code tcp6} and
 * {@code /proc/self/fd}. Elsewhere it is "not available" and the audit works from the JVM's view alone.
 */
public final class KernelView {
    private static final Path TCP = Path.of("/proc/self/net/tcp");

    /** The kernel's two TCP tables: sockets of the IPv4 family, and of IPv6 (Java's dual-stack ones). */
    enum Table {
        IPV4(TCP), IPV6(Path.of("/proc/self/net/tcp6"));

        private final Path path;

        Table(Path path) {
            this.path = path;
        }
    }

    private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");
    /** What the JDK passes to listen() when the application asks for a backlog below 1. */
    private static final int JDK_DEFAULT_BACKLOG = 50;

    private final boolean available;
    private final String description;

    private KernelView(boolean available, String description) {
        this.available = available;
        this.description = description;
    }

    public static KernelView detect() {
        if (Files.isReadable(TCP) && Files.isReadable(Path.of("/proc/self/fd"))) {
            return new KernelView(true, "Linux /proc/self/net/tcp, tcp6 and /proc/self/fd");
        }
        return new KernelView(false, "not available on " + System.getProperty("os.name")
                + " (no readable /proc/self/net/tcp): queue depths, TCP states and unmanaged listeners are not shown");
    }

    public boolean available() {
        return available;
    }

    public String description() {
        return description;
    }

    /**
     * One table's LISTEN rows and, if {@code closeWaitToo}, its CLOSE_WAIT rows; empty when not
     * available. The kernel prints listening sockets first and generates the text as it is read, so
     * reading only those stops at the first other row (see {@link TcpTables} for when that is cheap);
     * the whole table costs time in proportion to all sockets of the network namespace.
     */
    List<KernelSocket> rows(Table table, boolean closeWaitToo) {
        List<KernelSocket> rows = new ArrayList<>();
        if (available) {
            read(table.path, closeWaitToo, rows);
        }
        return rows;
    }

    /** Every LISTEN socket of the network namespace (IPv4 and IPv6 tables), by inode; empty when not available. */
    public Map<Long, KernelSocket> listening() {
        Map<Long, KernelSocket> byInode = new HashMap<>();
        for (Table table : Table.values()) {
            for (KernelSocket k : rows(table, false)) {
                byInode.put(k.inode(), k);
            }
        }
        return byInode;
    }

    /** Socket inode to descriptor for this process's descriptors not {@code skipped}; empty when not available. */
    public Map<Long, Integer> ownSockets(IntPredicate skipped) {
        if (!available) {
            return Map.of();
        }
        try {
            return FdInodes.scan(skipped);
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /**
     * The accept queue's limit the kernel applies: the backlog last passed to listen() (by the
     * application's bind or by setBacklog), capped by {@code net.core.somaxconn}. -1 when unknown
     * (bound before hotbind was attached and never set since, or no kernel view).
     */
    public long effectiveBacklog(ListenerRecord listener) {
        if (!available || !listener.backlogKnown()) {
            return -1;
        }
        return capped(listener.backlog());
    }

    /** What the kernel makes of {@code requested} passed to listen() now: below 1 the JDK's default, capped by somaxconn. */
    public static long capped(int requested) {
        long asked = requested < 1 ? JDK_DEFAULT_BACKLOG : requested;
        long somaxconn = somaxconn();
        return somaxconn > 0 ? Math.min(asked, somaxconn) : asked;
    }

    public long inodeOf(int fd) {
        return available ? FdInodes.of(fd) : -1;
    }

    /**
     * {@code net.core.somaxconn} now, -1 when unreadable. The kernel caps a backlog at listen() time.
     * One read() call: sysctl files answer only a read at offset 0, so reading byte by byte gives "4" for 4096.
     * A {@code FileInputStream}, not {@code Files.newInputStream}: this runs in {@code premain}, and on JDK 25
     * the latter loads {@code SocketChannelImpl}, which hotbind would then have to instrument right there.
     */
    public static long somaxconn() {
        try (InputStream in = new FileInputStream(SOMAXCONN.toFile())) {
            byte[] buffer = new byte[32];
            int n = in.read(buffer);
            return Long.parseLong(new String(buffer, 0, Math.max(0, n), StandardCharsets.US_ASCII).trim());
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }

    private static void read(Path table, boolean closeWaitToo, List<KernelSocket> into) {
        try (BufferedReader lines = Files.newBufferedReader(table, StandardCharsets.ISO_8859_1)) {
            lines.readLine(); // the header
            String line;
            while ((line = lines.readLine()) != null) {
                KernelSocket row = ProcNetTcp.parseLine(line);
                boolean listening = row != null && row.listening();
                if (!listening && !closeWaitToo) {
                    return;
                }
                if (row != null) {
                    into.add(row);
                }
            }
        } catch (IOException | RuntimeException noIpv6OrGone) {
            // the table is absent (no IPv6) or unreadable: fewer rows, nothing else changes
        }
    }
}
