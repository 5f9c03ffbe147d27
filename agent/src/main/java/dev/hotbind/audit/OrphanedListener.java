package dev.hotbind.audit;

/**
 * A bound listener nobody accepts from: its accept queue holds connections that no thread has taken
 * for longer than the threshold, or the last thread that accepted on it has died.
 */
public record OrphanedListener(long listenerId, String address, String reason, long acceptQueueDepth,
                               long backlog, String lastAcceptThread, long lastAcceptMillis, long sinceMillis)
        implements Finding {
    public static final String KIND = "orphanedListener";

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
        return "listener #" + listenerId + " " + address + ": " + reason;
    }
}
