package dev.hotbind.audit;

import dev.hotbind.registry.ConnectionRecord;

/**
 * An accepted connection left behind: still open after its listener closed, in CLOSE_WAIT (the peer
 * left, the application never closed its end) for longer than the threshold, or garbage-collected
 * without being closed.
 */
public record OrphanedConnection(ConnectionRecord connection, String kernelState, String reason, long sinceMillis)
        implements Finding {
    public static final String KIND = "orphanedConnection";

    @Override
    public String key() {
        return KIND + ":" + connection.id();
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String summary() {
        return "connection #" + connection.id() + " from " + connection.remoteAddress() + " accepted by '"
                + connection.acceptThread() + "' on listener #" + connection.listener().id() + " "
                + connection.listener().address() + ": " + reason;
    }
}
