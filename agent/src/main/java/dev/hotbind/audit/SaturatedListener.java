package dev.hotbind.audit;

/**
 * A listener whose accept queue the audit found full (as deep as its backlog allows): the kernel then
 * drops new connections' handshakes, silently for the application, and clients wait or time out.
 * Stays a finding while the queue was seen full within {@link SaturationDetector#quietMillis} of now.
 * {@code listenOverflows}: the namespace's ListenOverflows since it was first seen full (-1: unknown).
 */
public record SaturatedListener(long listenerId, String address, long sinceMillis, long lastFullMillis,
                                long timesSeenFull, long acceptQueueDepth, long backlog, long listenOverflows,
                                String suggestion) implements Finding {
    public static final String KIND = "saturatedListener";

    @Override
    public String key() {
        return KIND + ":" + listenerId;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String summary() {
        return "listener #" + listenerId + " " + address + ": accept queue full (" + acceptQueueDepth + " waiting, "
                + "backlog " + backlog + "), seen full at " + timesSeenFull + " audit(s); " + suggestion;
    }
}
