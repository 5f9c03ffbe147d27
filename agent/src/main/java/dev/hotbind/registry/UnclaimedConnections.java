package dev.hotbind.registry;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;

/**
 * Connections the attach found open whose local port no listener had: accepted by a listener the
 * application closed before the attach, or opened by the application itself (an outbound connection's
 * local port is one the kernel picked, never a listener's while it listens). A listener closed before
 * the attach is found later, when a thread calls accept on it; then the connections on its port are
 * its. Held weakly: hotbind keeps no socket of the application alive.
 */
final class UnclaimedConnections {
    private record Unclaimed(WeakReference<Object> socket, int localPort) {
    }

    private final List<Unclaimed> unclaimed = new ArrayList<>();

    synchronized void add(Object socket, int localPort) {
        unclaimed.add(new Unclaimed(new WeakReference<>(socket), localPort));
    }

    /** Takes the live ones on {@code localPort}; forgets the collected ones on the way. */
    synchronized List<Object> claim(int localPort) {
        List<Object> claimed = new ArrayList<>();
        unclaimed.removeIf(u -> {
            Object socket = u.socket().get();
            if (socket != null && u.localPort() == localPort) {
                claimed.add(socket);
            }
            return socket == null || u.localPort() == localPort;
        });
        return claimed;
    }
}
