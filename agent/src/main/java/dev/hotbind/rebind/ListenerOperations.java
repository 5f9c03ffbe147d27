package dev.hotbind.rebind;

import dev.hotbind.audit.KernelView;
import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.jdk.Descriptors;
import dev.hotbind.jdk.JdkListener;
import dev.hotbind.registry.InheritedFrom;
import dev.hotbind.registry.ListenerLifecycle;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerSettings;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;

/**
 * What an operator can do to a listener. Each operation answers with a record of what it did, and fails
 * with an {@link IllegalArgumentException} (bad input) or {@link IllegalStateException} (refused)
 * whose message names the cause. Operations on one listener run one at a time.
 */
public final class ListenerOperations {
    private static final long LOCK_WAIT_SECONDS = 5;

    private final Registry registry;
    private final SocketSwapper swapper;

    /** {@code handover}: the one start-up put on {@code registry}'s accept path. */
    public ListenerOperations(Registry registry, Handover handover) {
        this.registry = registry;
        this.swapper = new SocketSwapper(handover);
    }

    /** Closes the listener exactly as the application's own {@code close()} would. */
    public Closed close(ListenerRecord listener) {
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
            return new Closed(listener.id(), address, open);
        });
    }

    /**
     * The same address: renewed in place (the application's own SO_REUSEPORT port: a fresh socket
     * sharing it); when unbound, a fresh socket on the address it had.
     */
    public Rebound rebind(ListenerRecord listener) {
        return serialised(listener, () -> move(listener, listener.localAddress(), false));
    }

    /** Moves the listener to {@code address}: {@code host:port}, {@code [v6]:port}, {@code :port} or {@code port}. */
    public Rebound rebindTo(ListenerRecord listener, String address) {
        notTheJvmsConnector(listener, "rebindTo");
        InetSocketAddress target = AddressParser.parse(address, listener.localAddress().getAddress());
        return serialised(listener, () -> move(listener, target, true));
    }

    /** Releases the port while the application's accept threads stay waiting inside accept. */
    public Unbound unbind(ListenerRecord listener) {
        notTheJvmsConnector(listener, "unbind");
        return serialised(listener, () -> {
            ListenerState from = listener.state();
            notDraining(listener, from, "unbind()");
            if (from == ListenerState.UNBOUND) {
                throw new IllegalStateException("listener #" + listener.id() + " " + listener.address()
                        + " is already unbound; rebind() or rebindTo(address) resumes it");
            }
            Unbound done = park(listener, ListenerEvents.beginUnbound());
            if (!listener.lifecycle().transition(from, ListenerState.UNBOUND)) {
                throw closedMeanwhile(listener, "unbound");
            }
            registry.changed(listener);
            return done;
        });
    }

    /** The largest backlog setBacklog takes: what a 16-bit backlog field holds, as kernels before 5.4 had. */
    public static final int MAX_BACKLOG = 65_535;

    /**
     * Changes the accept queue's limit of a live listener in place: listen(2) again on the same socket,
     * which only sets its backlog. No socket is closed or added, nobody is woken, nothing queued or in its
     * handshake is touched; the kernel caps the value at {@code net.core.somaxconn}, which the answer reports.
     * A later rebind listens with it again.
     */
    public BacklogSet setBacklog(ListenerRecord listener, int backlog) {
        if (backlog <= 0 || backlog > MAX_BACKLOG) {
            throw new IllegalArgumentException("backlog " + backlog + " is out of range: 1 to " + MAX_BACKLOG
                    + " (the kernel caps it at net.core.somaxconn); listener #" + listener.id() + " keeps its backlog");
        }
        notTheJvmsConnector(listener, "setBacklog on");
        return serialised(listener, () -> {
            ListenerState state = listener.state();
            if (state != ListenerState.BOUND) {
                throw state == ListenerState.CLOSED ? closed(listener) : new IllegalStateException("listener #"
                        + listener.id() + " " + listener.address() + " is " + state + ": its port is released, so it "
                        + "has no accept queue; rebind() first, then setBacklog");
            }
            JdkListener socket = liveSocket(listener);
            long before = listener.backlogKnown() ? KernelView.capped(listener.backlog()) : -1;
            synchronized (socket.stateLock()) {
                if (!socket.isOpen()) {
                    throw closedMeanwhile(listener, "given a backlog");
                }
                Descriptors.listen(socket.fd(), backlog);
            }
            listener.backlogSet(backlog);
            return new BacklogSet(listener.id(), listener.address(), before, backlog, KernelView.capped(backlog),
                    KernelView.somaxconn());
        });
    }

    /**
     * Releases the port of a listener whose drain has just begun (its state is DRAINING already, so
     * no reader ever sees it unbound first): what unbind does, without its state change.
     */
    public Unbound releaseForDrain(ListenerRecord listener) {
        return serialised(listener, () -> park(listener, ListenerEvents.beginUnbound()));
    }

    /**
     * Parks the accept threads on a socket no one can reach and releases the port; answers how it went.
     * {@code event}: the JFR event the unbind (or the drain releasing the port) began.
     */
    private Unbound park(ListenerRecord listener, Object event) {
        JdkListener socket = liveSocket(listener);
        ListenerSettings settings = settings(listener, socket);
        SocketSwapper.Outcome done = swapper.park(socket, settings, listener::acceptThreads);
        listener.lifecycle().parked(settings);
        ListenerEvents.unbound(event, listener, done.micros(), done.delivery().queued(), done.delivery().handedOver());
        // an inherited socket is not released: hotbind keeps it, and so does whoever passed it on
        String inherited = listener.inheritedFrom() != null ? listener.inherited() : "";
        return Unbound.of(listener.id(), listener.address(), done,
                inherited.isEmpty() ? swapper.awaitReleased(listener.localAddress()) : -1, inherited);
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

    private Rebound move(ListenerRecord listener, InetSocketAddress target, boolean to) throws IOException {
        JdkListener socket = liveSocket(listener);
        ListenerState from = listener.state();
        notDraining(listener, from, to ? "rebindTo(address)" : "rebind()");
        String before = listener.address();
        boolean unbound = from == ListenerState.UNBOUND;
        ListenerSettings parked = listener.lifecycle().parked();
        ListenerSettings settings = !unbound ? settings(listener, socket) : parked != null ? parked
                // unbound by someone else: its own options are gone with its socket
                : new ListenerSettings(listener.backlog(), false, 0, socket.family());
        InetSocketAddress old = listener.localAddress();
        if (!unbound && target.equals(old) && !settings.reusePort()) {
            return renew(listener, socket, before);
        }
        InheritedFrom inherited = listener.inheritedFrom();
        if (unbound && inherited != null && target.equals(old)) {
            return resumeInherited(listener, socket, from, inherited, before);
        }
        boolean overlap = !unbound && target.getPort() == old.getPort() && settings.reusePort();
        if (!unbound && !overlap) {
            notOverItself(listener, old, target);
        }
        Object event = ListenerEvents.beginRebound();
        SocketSwapper.Outcome done = swapper.bind(socket, target, settings, overlap, listener::acceptThreads);
        long oldPortReleased = overlap || unbound ? -1 : swapper.awaitReleased(old);
        InetSocketAddress now = socket.localAddress();
        // the application may have closed its listener meanwhile: then it stays CLOSED
        if (!listener.lifecycle().transition(from, ListenerState.BOUND)) {
            throw closedMeanwhile(listener, to ? "moved" : "rebound");
        }
        listener.movedTo(now);
        registry.changed(listener);
        ListenerEvents.rebound(event, listener, before, unbound ? ListenerEvents.FROM_UNBOUND
                : to ? ListenerEvents.REBIND_TO : ListenerEvents.SAME_PORT, done.micros(),
                done.delivery().queued(), done.delivery().handedOver());
        return Rebound.of(listener.id(), unbound ? Rebound.FROM_UNBOUND : overlap ? Rebound.SHARED_PORT : Rebound.MOVED,
                before, listener.address(), done, oldPortReleased);
    }

    /**
     * An unbound listener whose socket was inherited gets that socket back: hotbind kept it open (a fresh
     * bind of its port would fail while the one who passed it on holds it). What queued on it meanwhile
     * is accepted now.
     */
    private Rebound resumeInherited(ListenerRecord listener, JdkListener socket, ListenerState from,
                                    InheritedFrom inherited, String before) throws IOException {
        Object event = ListenerEvents.beginRebound();
        SocketSwapper.Outcome done = SocketSwapper.adopt(socket, inherited.fd(), listener.localAddress(),
                listener::acceptThreads);
        if (!listener.lifecycle().transition(from, ListenerState.BOUND)) {
            throw closedMeanwhile(listener, "rebound");
        }
        registry.changed(listener);
        ListenerEvents.rebound(event, listener, before, ListenerEvents.FROM_UNBOUND, done.micros(), 0, 0);
        return Rebound.of(listener.id(), Rebound.INHERITED, before, listener.address(), done, -1);
    }

    /**
     * A same-address rebind of a port the application does not share: the same kernel socket listens
     * again, so nothing queued is lost and no second socket ever makes the port joinable.
     */
    private Rebound renew(ListenerRecord listener, JdkListener socket, String address) throws IOException {
        int backlog = listener.backlog();
        Object event = ListenerEvents.beginRebound();
        SocketSwapper.Outcome done = swapper.renew(socket, backlog, listener::acceptThreads);
        ListenerEvents.rebound(event, listener, address, ListenerEvents.SAME_PORT, done.micros(), 0, 0);
        return Rebound.of(listener.id(), Rebound.RENEWED, address, address, done, -1);
    }

    /**
     * A move to another address of the same port where one of the two is a wildcard: the listener's
     * own socket holds the port, and sharing it would take SO_REUSEPORT, which leaves the port
     * joinable by other processes until every socket has left it.
     */
    private static void notOverItself(ListenerRecord listener, InetSocketAddress old, InetSocketAddress target) {
        if (target.getPort() == old.getPort()
                && (old.getAddress().isAnyLocalAddress() || target.getAddress().isAnyLocalAddress())) {
            throw new IllegalStateException("listener #" + listener.id() + " " + listener.address() + " itself holds "
                    + "port " + old.getPort() + " for " + target.getAddress().getHostAddress() + " too; moving it there "
                    + "would need SO_REUSEPORT, which would leave the port joinable by other processes: unbind() first, "
                    + "then rebindTo(address); the listener keeps serving on its old socket");
        }
    }

    private static ListenerSettings settings(ListenerRecord listener, JdkListener socket) {
        try {
            return new ListenerSettings(listener.backlog(), socket.option(StandardSocketOptions.SO_REUSEPORT),
                    socket.option(StandardSocketOptions.SO_RCVBUF), socket.family());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the options of listener #" + listener.id() + ": " + e);
        }
    }

    /** Runs {@code work} as the only operation on {@code listener}; a drain begins through here too. */
    public <T> T serialised(ListenerRecord listener, Work<T> work) {
        ListenerLifecycle lifecycle = listener.lifecycle();
        try {
            if (!lifecycle.lock(LOCK_WAIT_SECONDS)) {
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
            lifecycle.unlock();
        }
    }

    /** An operation's body. */
    public interface Work<T> {
        T run() throws IOException;
    }

    /** A drain holds the listener unbound until it ends (it sets DRAINING under the operation lock). */
    private static void notDraining(ListenerRecord listener, ListenerState state, String operation) {
        if (state == ListenerState.DRAINING) {
            throw new IllegalStateException("listener #" + listener.id() + " " + listener.address() + " is draining "
                    + "(its Drain attribute shows the connections remaining); " + operation
                    + " is possible once the drain has finished");
        }
    }

    private static JdkListener liveSocket(ListenerRecord listener) {
        JdkListener socket = JdkListener.of(liveServer(listener));
        if (!socket.isOpen()) {
            throw closed(listener);
        }
        return socket;
    }

    private static IllegalStateException closedMeanwhile(ListenerRecord listener, String verb) {
        return new IllegalStateException("listener #" + listener.id() + " " + listener.address() + " was closed by "
                + "the application while being " + verb + "; it stays closed");
    }

    private static IllegalStateException closed(ListenerRecord listener) {
        return new IllegalStateException("listener #" + listener.id() + " " + listener.address()
                + " is already closed");
    }

    private static Object liveServer(ListenerRecord listener) {
        Object server = listener.server();
        if (server == null || listener.state() == ListenerState.CLOSED) {
            throw closed(listener);
        }
        return server;
    }
}
