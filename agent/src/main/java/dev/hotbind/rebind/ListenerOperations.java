package dev.hotbind.rebind;

import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import java.io.Closeable;
import java.io.IOException;

/**
 * What an operator can do to a listener. Each operation answers in words what happened, and fails
 * with an {@link IllegalArgumentException} (bad input) or {@link IllegalStateException} (refused)
 * whose message names the cause.
 */
public final class ListenerOperations {
    private final Registry registry;

    public ListenerOperations(Registry registry) {
        this.registry = registry;
    }

    /** Closes the listener exactly as the application's own {@code close()} would. */
    public String close(ListenerRecord listener) {
        Object server = liveServer(listener);
        String address = listener.address();
        int open = listener.openConnections();
        try {
            ((Closeable) server).close();
        } catch (IOException e) {
            throw new IllegalStateException("closing listener #" + listener.id() + " " + address + " failed: " + e);
        }
        return "closed listener #" + listener.id() + " " + address + " as if the application had closed it; "
                + "its accept threads now see the close; " + open + " connection(s) it accepted stay open";
    }

    private Object liveServer(ListenerRecord listener) {
        Object server = listener.server();
        if (server == null || listener.state() == ListenerState.CLOSED) {
            throw new IllegalStateException("listener #" + listener.id() + " " + listener.address()
                    + " is already closed");
        }
        return server;
    }
}
