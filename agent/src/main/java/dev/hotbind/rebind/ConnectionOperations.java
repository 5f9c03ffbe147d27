package dev.hotbind.rebind;

import dev.hotbind.audit.OrphanedConnection;
import dev.hotbind.registry.ConnectionRecord;
import dev.hotbind.registry.ConnectionState;
import dev.hotbind.registry.Registry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator can do to accepted connections. Closing goes through the application's own socket
 * object, so the application sees exactly what its own close() would have done.
 */
public final class ConnectionOperations {
    private final Registry registry;

    public ConnectionOperations(Registry registry) {
        this.registry = registry;
    }

    public ConnectionClosed close(long id) {
        ConnectionRecord c = registry.connection(id);
        if (c == null) {
            throw new IllegalArgumentException("no open connection with id " + id
                    + "; the Connections attribute lists the open ones");
        }
        ConnectionClosed what = new ConnectionClosed(c.id(), c.remoteAddress(), c.acceptThread(),
                c.listener().id(), c.listener().address());
        closeSocket(c);
        return what;
    }

    /** Closes the given orphans that are still open; collected ones are already gone. */
    public OrphansClosed closeAll(List<OrphanedConnection> orphans) {
        List<Long> closed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        for (OrphanedConnection orphan : orphans) {
            ConnectionRecord c = orphan.connection();
            if (c.state() != ConnectionState.OPEN) {
                continue;
            }
            try {
                closeSocket(c);
                closed.add(c.id());
            } catch (IllegalStateException e) {
                failed.add(e.getMessage());
            }
        }
        return new OrphansClosed(closed.stream().mapToLong(Long::longValue).toArray(), failed.toArray(new String[0]));
    }

    private void closeSocket(ConnectionRecord c) {
        Object socket = c.get();
        if (socket == null) {
            throw new IllegalStateException("connection #" + c.id() + " was garbage-collected; nothing to close");
        }
        try {
            registry.close(c);
        } catch (IOException e) {
            throw new IllegalStateException("closing connection #" + c.id() + " failed: " + e);
        }
    }
}
