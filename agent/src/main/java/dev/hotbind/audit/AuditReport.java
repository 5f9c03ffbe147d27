package dev.hotbind.audit;

import dev.hotbind.registry.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one audit found (orphans, and listeners whose accept queue was full), the kernel's view of each
 * listener at that moment, and the namespace's listen overflow counters. Immutable.
 */
public record AuditReport(long number, long atMillis, List<OrphanedAcceptThread> acceptThreads,
                          List<OrphanedListener> listeners, List<OrphanedConnection> connections,
                          List<UnmanagedListener> unmanaged, Map<Long, KernelSocket> listenerSockets,
                          List<SaturatedListener> saturated, ListenCounters listenCounters) {
    static final AuditReport NONE = new AuditReport(0, 0, List.of(), List.of(), List.of(), List.of(), Map.of(),
            List.of(), ListenCounters.UNKNOWN);

    /** Orphaned connections, minus those closed since the audit (a collected one stays: it is history). */
    public List<OrphanedConnection> connectionsNow() {
        List<OrphanedConnection> out = new ArrayList<>();
        for (OrphanedConnection c : connections) {
            if (c.connection().state() == ConnectionState.OPEN || c.connection().state() == ConnectionState.COLLECTED) {
                out.add(c);
            }
        }
        return out;
    }

    List<Finding> all() {
        List<Finding> all = new ArrayList<>(acceptThreads);
        all.addAll(listeners);
        all.addAll(connections);
        all.addAll(unmanaged);
        all.addAll(saturated);
        return all;
    }
}
