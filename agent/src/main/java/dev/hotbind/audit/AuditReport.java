package dev.hotbind.audit;

import dev.hotbind.registry.ConnectionState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What one audit found, and the kernel's view of each listener at that moment. Immutable. */
public record AuditReport(long number, long atMillis, List<OrphanedAcceptThread> acceptThreads,
                          List<OrphanedListener> listeners, List<OrphanedConnection> connections,
                          List<UnmanagedListener> unmanaged, Map<Long, KernelSocket> listenerSockets) {
    static final AuditReport NONE = new AuditReport(0, 0, List.of(), List.of(), List.of(), List.of(), Map.of());

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
        return all;
    }
}
