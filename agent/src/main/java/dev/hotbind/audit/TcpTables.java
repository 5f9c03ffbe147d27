package dev.hotbind.audit;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Decides which of the kernel's two TCP tables an audit reads. Reading a table's LISTEN rows is cheap
 * only when other rows of its family follow them: the kernel looks for the next row through its whole
 * connection hash, so a table with no row after its listeners (the IPv4 table of a JVM whose sockets
 * are all dual-stack IPv6) costs a walk over every socket of the network namespace, TIME_WAIT
 * included: ~13 ms of CPU at 40,000 of them, at every audit of a server churning connections.
 * So a table is read at every audit only while it holds a listening socket of this process, or when
 * one of hotbind's listeners is in no table read; otherwise its LISTEN rows are kept from its last
 * read and refreshed every {@link #REFRESH_MILLIS} (or every audit, if audits are further apart),
 * which bounds how late a native listener appearing there is seen. State confined to the audit thread.
 */
final class TcpTables {
    static final long REFRESH_MILLIS = 30_000;

    private final KernelView kernel;
    /** Per table not read at every audit: its LISTEN rows as last read, and when. */
    private final Map<KernelView.Table, List<KernelSocket>> kept = new EnumMap<>(KernelView.Table.class);
    private final Map<KernelView.Table, Long> readAt = new EnumMap<>(KernelView.Table.class);
    /** Tables that held a listening socket of this process at their last read; all, until known. */
    private Set<KernelView.Table> ours = Set.of(KernelView.Table.values());

    TcpTables(KernelView kernel) {
        this.kernel = kernel;
    }

    /**
     * This audit's rows, null when there is no kernel view: LISTEN rows of both tables (those of a table
     * not read now as last read) and, if {@code closeWaitToo}, the CLOSE_WAIT rows of both, all read now.
     * {@code managed}: inodes of hotbind's listeners, each of which should be in a table read now.
     */
    List<KernelSocket> rows(boolean closeWaitToo, Set<Long> managed, long now) {
        if (!kernel.available()) {
            return null;
        }
        List<KernelSocket> rows = new ArrayList<>();
        Set<KernelView.Table> skipped = new HashSet<>();
        for (KernelView.Table table : KernelView.Table.values()) {
            if (closeWaitToo || ours.contains(table) || now - readAt.getOrDefault(table, 0L) >= REFRESH_MILLIS) {
                rows.addAll(read(table, closeWaitToo, now));
            } else {
                skipped.add(table);
            }
        }
        if (!skipped.isEmpty() && !inodesOf(rows).containsAll(managed)) {
            for (KernelView.Table table : skipped) {
                rows.addAll(read(table, false, now));
            }
        } else {
            for (KernelView.Table table : skipped) {
                rows.addAll(kept.get(table));
            }
        }
        return rows;
    }

    /** After the audit: {@code inodes} are the listening sockets found to be this process's. */
    void held(Set<Long> inodes) {
        Set<KernelView.Table> holding = new HashSet<>();
        for (Map.Entry<KernelView.Table, List<KernelSocket>> e : kept.entrySet()) {
            for (KernelSocket k : e.getValue()) {
                if (inodes.contains(k.inode())) {
                    holding.add(e.getKey());
                }
            }
        }
        ours = holding;
    }

    private List<KernelSocket> read(KernelView.Table table, boolean closeWaitToo, long now) {
        List<KernelSocket> rows = kernel.rows(table, closeWaitToo);
        List<KernelSocket> listening = new ArrayList<>();
        for (KernelSocket k : rows) {
            if (k.listening()) {
                listening.add(k);
            }
        }
        kept.put(table, listening);
        readAt.put(table, now);
        return rows;
    }

    private static Set<Long> inodesOf(List<KernelSocket> rows) {
        Set<Long> inodes = new HashSet<>();
        for (KernelSocket k : rows) {
            inodes.add(k.inode());
        }
        return inodes;
    }
}
