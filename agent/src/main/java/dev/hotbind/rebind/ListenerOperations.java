package dev.hotbind.rebind;

import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What an operator can do to a listener. Each operation answers in words what happened, and fails
 * with an {@link IllegalArgumentException} (bad input) or {@link IllegalStateException} (refused)
 * whose message names the cause. Operations on one listener run one at a time.
 */
public final class ListenerOperations {
    private static final long LOCK_WAIT_SECONDS = 5;

    private final Registry registry;
    private final SocketSwapper swapper;
    /** What an unbound listener's application had set, for the rebind that resumes it. */
    private final Map<ListenerRecord, SocketSwapper.Settings> parked = new ConcurrentHashMap<>();

    public ListenerOperations(Registry registry) {
        this.registry = registry;
        this.swapper = new SocketSwapper(registry);
    }

    /** Closes the listener exactly as the application's own {@code close()} would. */
    public String close(ListenerRecord listener) {
        notTheJvmsConnector(listener, "close");
        return serialised(listener, () -> {
            Object server = liveServer(listener);
            String address = listener.address();
            int open = listener.openConnections();
            try {
                ((Closeable) server).close();
            } catch (IOException e) {
                throw new IllegalStateException("closing listener #" + listener.id() + " " + address + " failed: " + e);
            }
            parked.remove(listener);
            return "closed listener #" + listener.id() + " " + address + " as if the application had closed it; "
                    + "its accept threads now see the close; " + open + " connection(s) it accepted stay open";
        });
    }

    /** A fresh socket on the same address (or, when unbound, on the address it had). */
    public String rebind(ListenerRecord listener) {
        return serialised(listener, () -> move(listener, listener.localAddress(), "rebound"));
    }

    /** Moves the listener to {@code address}: {@code host:port}, {@code [v6]:port}, {@code :port} or {@code port}. */
    public String rebindTo(ListenerRecord listener, String address) {
        notTheJvmsConnector(listener, "rebindTo");
        InetSocketAddress target = AddressParser.parse(address, listener.localAddress().getAddress());
        return serialised(listener, () -> move(listener, target, "moved"));
    }

    /** Releases the port while the application's accept threads stay waiting inside accept. */
    public String unbind(ListenerRecord listener) {
        notTheJvmsConnector(listener, "unbind");
        return serialised(listener, () -> {
            ListenerSocket socket = liveSocket(listener);
            notDraining(listener, "unbind()");
            if (listener.state() == ListenerState.UNBOUND) {
                throw new IllegalStateException("listener #" + listener.id() + " " + listener.address()
                        + " is already unbound; rebind() or rebindTo(address) resumes it");
            }
            SocketSwapper.Settings settings = settings(listener, socket);
            Object event = ListenerEvents.beginUnbound();
            SocketSwapper.Outcome done = swapper.park(socket, settings, listener::acceptThreads);
            parked.put(listener, settings);
            listener.state(ListenerState.UNBOUND);
            registry.changed(listener);
            ListenerEvents.unbound(event, listener, done.micros(), done.delivery().queued(),
                    done.delivery().handedOver());
            return "unbound listener #" + listener.id() + " " + listener.address() + " in " + done.micros()
                    + " µs: " + released(swapper.awaitReleased(listener.localAddress()))
                    + "; the application's accept threads wait inside accept without an exception ("
                    + done.waiters() + "); " + done.delivery().describe() + "; rebind() resumes on "
                    + listener.address() + ", rebindTo(address) elsewhere; " + Migration.note();
        });
    }

    /**
     * Refuses to cut off the JVM's own JMX connector: closing, moving, unbinding or draining it would
     * lock out the very console or CLI the operator is using. A same-address rebind stays allowed.
     */
    public static void notTheJvmsConnector(ListenerRecord listener, String operation) {
        if (listener.isJvmManagementConnector()) {
            throw new IllegalStateException("listener #" + listener.id() + " " + listener.address()
                    + " is the JVM's own JMX connector (RMI), the one JConsole and the hotbind CLI talk through; "
                    + "hotbind does not " + operation + " it");
        }
    }

    private String move(ListenerRecord listener, InetSocketAddress target, String verb) throws IOException {
        ListenerSocket socket = liveSocket(listener);
        notDraining(listener, verb.equals("moved") ? "rebindTo(address)" : "rebind()");
        String before = listener.address();
        boolean unbound = listener.state() == ListenerState.UNBOUND;
        SocketSwapper.Settings settings = !unbound ? settings(listener, socket)
                : parked.getOrDefault(listener, SocketSwapper.Settings.defaults(socket, listener.backlog()));
        boolean overlap = !unbound && target.getPort() == listener.localAddress().getPort();
        InetSocketAddress old = listener.localAddress();
        Object event = ListenerEvents.beginRebound();
        SocketSwapper.Outcome done = swapper.bind(socket, target, settings, overlap, listener::acceptThreads);
        String oldPort = overlap || unbound ? "" : "; the old port: " + released(swapper.awaitReleased(old));
        parked.remove(listener);
        listener.movedTo(socket.localAddress());
        listener.state(ListenerState.BOUND);
        registry.changed(listener);
        ListenerEvents.rebound(event, listener, before, unbound ? ListenerEvents.FROM_UNBOUND
                : verb.equals("moved") ? ListenerEvents.REBIND_TO : ListenerEvents.SAME_PORT, done.micros(),
                done.delivery().queued(), done.delivery().handedOver());
        return verb + " listener #" + listener.id() + " " + before + (unbound ? " (unbound)" : "") + " -> "
                + listener.address() + " in " + done.micros() + " µs, same application object; "
                + done.waiters() + "; connections it accepted are untouched; " + done.delivery().describe()
                + oldPort + (overlap ? "; " + Migration.note() : "");
    }

    private static String released(long micros) {
        return micros < 0 ? "the port is still held after 2 s (a thread finishing an accept on it, or another "
                + "socket bound it meanwhile)" : "released after " + micros + " µs, new clients are refused";
    }

    private static SocketSwapper.Settings settings(ListenerRecord listener, ListenerSocket socket) {
        try {
            return SocketSwapper.Settings.of(socket, listener.backlog());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the options of listener #" + listener.id() + ": " + e);
        }
    }

    /** Runs {@code work} as the only operation on {@code listener}; a drain begins through here too. */
    public <T> T serialised(ListenerRecord listener, Work<T> work) {
        ReentrantLock lock = listener.operationLock();
        try {
            if (!lock.tryLock(LOCK_WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("another operation on listener #" + listener.id()
                        + " is in progress; try again when it has finished");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for another operation on listener #"
                    + listener.id());
        }
        try {
            return work.run();
        } catch (IOException e) {
            throw new IllegalStateException("operation on listener #" + listener.id() + " failed: " + e);
        } finally {
            lock.unlock();
        }
    }

    /** An operation's body. */
    public interface Work<T> {
        T run() throws IOException;
    }

    /** A drain holds the listener unbound until it ends (it sets DRAINING under the operation lock). */
    private static void notDraining(ListenerRecord listener, String operation) {
        if (listener.state() == ListenerState.DRAINING) {
            throw new IllegalStateException("listener #" + listener.id() + " " + listener.address() + " is draining "
                    + "(its Drain attribute shows the connections remaining); " + operation
                    + " is possible once the drain has finished");
        }
    }

    private ListenerSocket liveSocket(ListenerRecord listener) {
        ListenerSocket socket = ListenerSocket.of(liveServer(listener));
        if (!socket.isOpen()) {
            throw closed(listener);
        }
        return socket;
    }

    private IllegalStateException closed(ListenerRecord listener) {
        parked.remove(listener);
        return new IllegalStateException("listener #" + listener.id() + " " + listener.address()
                + " is already closed");
    }

    private Object liveServer(ListenerRecord listener) {
        Object server = listener.server();
        if (server == null || listener.state() == ListenerState.CLOSED) {
            throw closed(listener);
        }
        return server;
    }
}
