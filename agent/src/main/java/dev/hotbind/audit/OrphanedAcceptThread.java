package dev.hotbind.audit;

/**
 * A thread that keeps calling accept on a closed listener (spinning on the exception), or that is
 * still blocked inside accept on a listener the application closed.
 */
public record OrphanedAcceptThread(long threadId, String threadName, String threadState, long listenerId,
                                   String listenerAddress, String reason, long failedCalls,
                                   double failuresPerSecond, long sinceMillis, StackTraceElement[] stack)
        implements Finding {
    public static final String KIND = "orphanedAcceptThread";

    @Override
    public String key() {
        return KIND + ":" + threadId + ":" + listenerId;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String summary() {
        return "accept thread '" + threadName + "' on closed listener #" + listenerId + " " + listenerAddress + ": "
                + reason;
    }
}
