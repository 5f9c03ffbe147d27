package dev.hotbind.registry;

import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.bootstrap.SocketEvents;
import dev.hotbind.jdk.JdkConnection;
import dev.hotbind.jdk.JdkImpls;
import dev.hotbind.policy.SocketPolicy;
import java.io.IOException;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What hotbind knows about the listeners of this JVM and the connections they accepted, fed by the
 * instrumented JDK classes. Lock-free: listeners (few) live in a copy-on-write array, connections in
 * a table indexed by descriptor number; nothing here ever holds an application socket strongly.
 */
public final class Registry implements SocketEvents {
    private static final ListenerRecord[] NO_LISTENERS = {};
    /** Closed listeners stay findable while their object lives, so accept on them is still seen. */
    private static final int CLOSED_KEPT_FINDABLE = 16;
    private static final Set<String> HOOK_FRAMES =
            Set.of(Registry.class.getName(), "dev.hotbind.bootstrap.Hooks");
    private static final String CLOSED_FAILURE = "java.net.SocketException: Socket is closed";

    private final AtomicReference<ListenerRecord[]> listeners = new AtomicReference<>(NO_LISTENERS);
    private final FdTable<ConnectionRecord> connections = new FdTable<>();
    private final ReferenceQueue<Object> collected = new ReferenceQueue<>();
    private final History<ListenerRecord> closedListeners;
    private final History<ConnectionRecord> endedConnections;
    private final History<ConnectionRecord> collectedConnections;
    private final AtomicLong listenerIds = new AtomicLong();
    private final AtomicLong connectionIds = new AtomicLong();
    private final UnclaimedConnections unclaimed = new UnclaimedConnections();
    private volatile RegistryObserver observer = RegistryObserver.NONE;
    /**
     * null unless the agent options ask for one: then accepting costs nothing extra. Volatile: a repeat
     * attach may change the options at run time.
     */
    private volatile SocketPolicy policy;
    /** null when nothing can substitute a connection (no rebind in this registry's JVM). */
    private final AcceptSubstitution substitution;
    private volatile BindFailures bindFailures = BindFailures.NONE;
    /** null unless the agent options name inherited sockets. */
    private volatile BindSubstitution bindSubstitution;
    /** Set once the attach discovery registered a ServerSocket by its impl: only then is a miss looked up by impl. */
    private volatile boolean anyByImpl;

    /**
     * The accept path's steps, in order: {@code substitution} (a hand-over), {@code policy}, counting,
     * the connection record. Both may be null; the substitution is fixed at start-up, the policy
     * follows the options ({@link #policy(SocketPolicy)}).
     */
    public Registry(int historySize, SocketPolicy policy, AcceptSubstitution substitution) {
        this.policy = policy;
        this.substitution = substitution;
        closedListeners = new History<>(historySize);
        endedConnections = new History<>(historySize);
        collectedConnections = new History<>(historySize);
    }

    /** Applies {@code newPolicy} to listeners bound and connections accepted from now on. */
    public void policy(SocketPolicy newPolicy) {
        policy = newPolicy;
    }

    /** Decides from now on what becomes of a failed application bind (the {@code bindRetry} option). */
    public void bindFailures(BindFailures failures) {
        bindFailures = failures;
    }

    /** Adds an observer; those added earlier keep being told. */
    public void observe(RegistryObserver newObserver) {
        observer = RegistryObserver.both(observer, newObserver);
    }

    // ---- events from the instrumented JDK ----

    /** Set once at start-up when the agent options give hotbind sockets to put under the application's binds. */
    public void substitute(BindSubstitution binds) {
        bindSubstitution = binds;
    }

    @Override
    public SocketAddress binding(Object server, SocketAddress requested) {
        if (Hooks.isInternal()) {
            return requested;
        }
        if (policy != null) {
            policy.listener(server);
        }
        BindSubstitution binds = bindSubstitution;
        return binds == null ? requested : binds.binding(server, requested);
    }

    @Override
    public Object bindFailed(Object retry, Object server, Object endpoint, Throwable failure) {
        return bindFailures.failed(retry, endpoint, failure);
    }

    @Override
    public void retriedBindSucceeded(Object retry) {
        bindFailures.succeeded(retry);
    }

    @Override
    public void bound(Object server, int backlog) {
        if (Hooks.isInternal()) {
            return;
        }
        BindSubstitution binds = bindSubstitution;
        // first: the record must show the inherited socket's address, not the stand-in's
        InheritedFrom inherited = binds == null ? null : binds.bound(server);
        InetSocketAddress address = SocketQueries.localAddressOf(server);
        if (address == null) {
            return;
        }
        ListenerRecord record = new ListenerRecord(listenerIds.incrementAndGet(), server, collected, address, backlog,
                System.currentTimeMillis(), Thread.currentThread().getName(), callerStack());
        record.inherited(inherited);
        add(record);
        observer.listenerAdded(record);
    }

    @Override
    public Object acceptEnter(Object server) {
        ListenerRecord record = find(server, true);
        if (record == null) {
            record = discover(server);
            if (record == null) {
                return null;
            }
        }
        return record.enter(Thread.currentThread(), System.currentTimeMillis());
    }

    @Override
    public void acceptExit(Object token, Object server, Object accepted, Throwable failure) {
        ListenerRecord record;
        if (token instanceof AcceptWaiter) {
            AcceptWaiter waiter = (AcceptWaiter) token;
            record = waiter.listener;
            record.leave(waiter);
        } else {
            record = find(server);
            if (record == null && failure != null && SocketQueries.isClosed(server)) {
                record = discoverClosed(server);
            }
            if (record == null) {
                return;
            }
        }
        if (accepted != null) {
            if (substitution != null && substitution.expecting()) {
                substitution.substitute(accepted);
            }
            connectionAccepted(record, accepted);
        } else if (failure != null && !(failure instanceof SocketTimeoutException)) {
            record.acceptFailed(Thread.currentThread(), failure.toString(), System.currentTimeMillis());
        }
    }

    @Override
    public void acceptOnClosed(Object server) {
        ListenerRecord record = find(server);
        if (record == null) {
            record = discoverClosed(server);
        }
        if (record != null) {
            record.acceptFailed(Thread.currentThread(), CLOSED_FAILURE, System.currentTimeMillis());
        }
    }

    @Override
    public void serverClosing(Object server) {
        ListenerRecord record = find(server);
        if (record != null) {
            closed(record);
        }
    }

    /** The end of a listener however it came (the application, an operator, collection): once, fully. */
    private void closed(ListenerRecord record) {
        if (record.close(System.currentTimeMillis())) {
            closedListeners.add(record);
            observer.listenerRemoved(record);
        }
    }

    @Override
    public void connectionClosing(Object connection) {
        int fd = JdkConnection.fdOf(connection);
        if (fd < 0) {
            return;
        }
        ConnectionRecord record = connections.get(fd);
        if (record != null && record.isFor(connection) && connections.remove(fd, record)) {
            end(record, ConnectionState.CLOSED);
        }
    }

    @Override
    public void childStarting(ProcessBuilder builder) {
        BindSubstitution binds = bindSubstitution;
        if (binds != null) {
            binds.childStarting(builder);
        }
    }

    /** An operation changed a listener's address or state; MBeans follow. */
    public void changed(ListenerRecord listener) {
        observer.listenerChanged(listener);
    }

    // ---- views ----

    /** Listeners that are not closed, oldest first. */
    public List<ListenerRecord> listeners() {
        List<ListenerRecord> live = new ArrayList<>();
        for (ListenerRecord r : listeners.get()) {
            if (!r.isClosed() && !r.collected()) {
                live.add(r);
            }
        }
        return live;
    }

    /** Every record still findable, closed ones included (audits look for accept loops on those). */
    public List<ListenerRecord> knownListeners() {
        return List.of(listeners.get());
    }

    public ListenerRecord listener(long id) {
        for (ListenerRecord r : listeners.get()) {
            if (r.id() == id) {
                return r;
            }
        }
        return null;
    }

    public List<ListenerRecord> recentlyClosedListeners() {
        return closedListeners.snapshot();
    }

    /** Connections still open, in descriptor order. */
    public List<ConnectionRecord> connections() {
        expungeCollected();
        List<ConnectionRecord> open = new ArrayList<>();
        connections.forEach(open::add);
        return open;
    }

    public List<ConnectionRecord> connectionsOf(ListenerRecord listener) {
        List<ConnectionRecord> out = new ArrayList<>();
        for (ConnectionRecord c : connections()) {
            if (c.listener() == listener) {
                out.add(c);
            }
        }
        return out;
    }

    public ConnectionRecord connection(long id) {
        for (ConnectionRecord c : connections()) {
            if (c.id() == id) {
                return c;
            }
        }
        return null;
    }

    public List<ConnectionRecord> recentlyEndedConnections() {
        return endedConnections.snapshot();
    }

    /** The latest connections whose socket was garbage-collected without being closed, oldest first. */
    public List<ConnectionRecord> collectedConnections() {
        expungeCollected();
        return collectedConnections.snapshot();
    }

    /**
     * Retires records whose socket was garbage-collected without being closed: a listener is closed as
     * if the application had closed it. Runs at least once per audit interval.
     */
    public List<ConnectionRecord> expungeCollected() {
        List<ConnectionRecord> found = new ArrayList<>();
        Reference<?> ref;
        while ((ref = collected.poll()) != null) {
            if (ref instanceof ListenerRecord.ServerReference) {
                closed(((ListenerRecord.ServerReference) ref).listener);
                continue;
            }
            ConnectionRecord record = (ConnectionRecord) ref;
            if (connections.remove(record.fd(), record)) {
                end(record, ConnectionState.COLLECTED);
                found.add(record);
            }
        }
        return found;
    }

    // ---- internals ----

    private void connectionAccepted(ListenerRecord listener, Object socket) {
        SocketPolicy p = policy;
        if (p != null) {
            p.accepted(socket);
        }
        Thread thread = Thread.currentThread();
        long now = System.currentTimeMillis();
        listener.accepted(thread, now);
        int fd = JdkConnection.fdOf(socket);
        if (!connections.fits(fd)) {
            listener.connectionEnded();
            return;
        }
        ConnectionRecord record = new ConnectionRecord(socket, collected, connectionIds.incrementAndGet(),
                listener, fd, now, thread.getName());
        ConnectionRecord missed = connections.put(fd, record);
        if (missed != null) {
            end(missed, missed.get() == null ? ConnectionState.COLLECTED : ConnectionState.LOST);
        }
    }

    private void end(ConnectionRecord record, ConnectionState how) {
        if (how == ConnectionState.CLOSED) {
            record.keepAddresses();
        }
        if (record.end(how, System.currentTimeMillis())) {
            record.listener().connectionEnded();
            endedConnections.add(record);
            if (how == ConnectionState.COLLECTED) {
                collectedConnections.add(record);
            }
        }
    }

    ListenerRecord find(Object server) {
        return find(server, false);
    }

    /**
     * The record of {@code server}; a ServerSocket discovered at an attach is found by its impl, and
     * {@code adopt}ed when the application's own ServerSocket accepts (not hotbind's stand-in closing it).
     */
    private ListenerRecord find(Object server, boolean adopt) {
        ListenerRecord[] all = listeners.get();
        for (ListenerRecord r : all) {
            if (r.refersTo(server)) {
                return r;
            }
        }
        if (!anyByImpl) {
            return null;
        }
        Object impl = JdkImpls.implOf(server);
        for (ListenerRecord r : all) {
            if (impl != null && r.byImpl() && r.refersTo(impl)) {
                if (adopt && !Hooks.isInternal()) {
                    r.adopt(server);
                    if (r.isClosed() && server instanceof ServerSocket) {
                        // closed by an operator through hotbind's stand-in: the application's object learns it now
                        JdkImpls.markClosed((ServerSocket) server);
                    }
                }
                return r;
            }
        }
        return null;
    }

    // ---- what the attach discovery found ----

    /**
     * Registers a listener bound before the attach, found by the discovery: a ServerSocketChannel, or
     * a ServerSocket's NioSocketImpl ({@code byImpl}). Answers the record, the one already there if
     * the application's accept registered it meanwhile, or null if it is no bound IP listener.
     */
    public ListenerRecord discoveredListener(Object found, boolean byImpl, InetSocketAddress address) {
        if (address == null) {
            return null;
        }
        ListenerRecord record = new ListenerRecord(listenerIds.incrementAndGet(), found, byImpl, collected, address);
        if (byImpl) {
            anyByImpl = true;
        }
        Object server = record.server();
        ListenerRecord winner = byImpl ? addIfAbsent(server, record, found) : addIfAbsent(found, record, null);
        // Observers are not told: the JMX exporter publishes every record there is after the discovery,
        // and JFR's ListenerBound is for binds hotbind saw (its first event costs ~1 s of start-up).
        SocketPolicy p = policy;
        if (winner == record && p != null) {
            p.listener(server);
        }
        return winner;
    }

    /** A thread the discovery found inside accept on {@code listener} since before the attach. */
    public boolean discoveredAcceptThread(ListenerRecord listener, Thread thread) {
        return listener.enterDiscovered(thread) != null;
    }

    /** The attach discovery saw connections queued on {@code listener} that no thread was there to accept. */
    public void discoveredQueue(ListenerRecord listener, long atMillis) {
        listener.queuedAtAttach(atMillis);
    }

    /**
     * A connection {@code listener} accepted before the attach and still open: a SocketChannel, or a
     * Socket's NioSocketImpl. No accept time, no accepting thread. False if its descriptor is taken.
     */
    public boolean discoveredConnection(ListenerRecord listener, Object socket) {
        return discoveredConnection(listener, socket, 0, "");
    }

    /**
     * A connection found in the JDK's structures: accepted before the attach ({@code acceptedAtMillis}
     * 0, no thread), or by an accept that began before it and returned after ({@code acceptThread}).
     */
    public boolean discoveredConnection(ListenerRecord listener, Object socket, long acceptedAtMillis,
                                        String acceptThread) {
        int fd = JdkImpls.isNio(socket) ? JdkImpls.fd(socket) : JdkConnection.fdOf(socket);
        if (!connections.fits(fd) || connections.get(fd) != null) {
            return false;
        }
        ConnectionRecord record = new ConnectionRecord(socket, collected, connectionIds.incrementAndGet(),
                listener, fd, acceptedAtMillis, acceptThread);
        if (connections.put(fd, record) != null) {
            return false;
        }
        listener.discoveredConnection();
        return true;
    }

    /**
     * Closes a connection through the application's socket (for a discovered one, its impl, whose
     * closing no advice sees: the record ends here). Throws what the close threw.
     */
    public void close(ConnectionRecord connection) throws IOException {
        connection.closeSocket();
        if (connection.byImpl() && connections.remove(connection.fd(), connection)) {
            end(connection, ConnectionState.CLOSED);
        }
    }

    /** A listener bound before hotbind was attached shows itself when the application accepts on it. */
    private ListenerRecord discover(Object server) {
        if (Hooks.isInternal()) {
            return null;
        }
        InetSocketAddress address = SocketQueries.localAddressOf(server);
        if (address == null) {
            return null;
        }
        ListenerRecord record = new ListenerRecord(listenerIds.incrementAndGet(), server, collected, address, 0, 0,
                "", new StackTraceElement[0]);
        ListenerRecord winner = addIfAbsent(server, record, null);
        if (winner == record) {
            if (policy != null) {
                policy.listener(server);
            }
            observer.listenerAdded(record);
        }
        return winner;
    }

    /**
     * A listener closed before hotbind could see it (closed before the attach) that a thread still calls
     * accept on: recorded CLOSED from the start, so the audit can report a loop spinning on it. Never
     * published: there is no listener left to show or operate.
     */
    private ListenerRecord discoverClosed(Object server) {
        if (Hooks.isInternal()) {
            return null;
        }
        InetSocketAddress address = SocketQueries.boundAddressOfClosed(server);
        if (address == null) {
            return null;
        }
        ListenerRecord record = new ListenerRecord(listenerIds.incrementAndGet(), server, collected, address, 0, 0,
                "", new StackTraceElement[0]);
        record.closedBeforeSeen(System.currentTimeMillis());
        ListenerRecord added = addIfAbsent(server, record, null);
        if (added == record) {
            // under the same lock as unclaimedAtAttach: a connection is either claimed here or sees the record there
            synchronized (unclaimed) {
                for (Object socket : unclaimed.claim(address.getPort())) {
                    discoveredConnection(record, socket);
                }
            }
        }
        return added;
    }

    /**
     * A connection the attach found whose local port no open listener has: the listener that accepted
     * it may have been closed before the attach, known once a thread calls accept on it (which may
     * have happened already: the advice is in place before the discovery walks). Answers whether it
     * was tied to such a listener now.
     */
    public boolean unclaimedAtAttach(Object socket, int localPort) {
        synchronized (unclaimed) {
            for (ListenerRecord closed : listeners.get()) {
                if (closed.closedBeforeSeen() && closed.localAddress().getPort() == localPort) {
                    return discoveredConnection(closed, socket);
                }
            }
            unclaimed.add(socket, localPort);
            return false;
        }
    }

    private void add(ListenerRecord record) {
        ListenerRecord[] current;
        ListenerRecord[] next;
        do {
            current = listeners.get();
            next = withAdded(current, record);
        } while (!listeners.compareAndSet(current, next));
    }

    /** {@code impl}: the NioSocketImpl a discovered ServerSocket's record is found by, else null. */
    private ListenerRecord addIfAbsent(Object server, ListenerRecord record, Object impl) {
        ListenerRecord[] current;
        ListenerRecord[] next;
        do {
            current = listeners.get();
            Object platformImpl = impl != null ? impl : JdkImpls.implOf(server);
            for (ListenerRecord r : current) {
                if (r.refersTo(server) || platformImpl != null
                        && (r.refersTo(platformImpl) || platformImpl == JdkImpls.implOf(r.server()))) {
                    return r;
                }
            }
            next = withAdded(current, record);
        } while (!listeners.compareAndSet(current, next));
        return record;
    }

    /** Appends, dropping collected records and the oldest closed ones beyond what stays findable. */
    private static ListenerRecord[] withAdded(ListenerRecord[] current, ListenerRecord record) {
        List<ListenerRecord> kept = new ArrayList<>(current.length + 1);
        int closed = 0;
        for (int i = current.length - 1; i >= 0; i--) {
            ListenerRecord r = current[i];
            if (r.collected() || (r.isClosed() && ++closed > CLOSED_KEPT_FINDABLE)) {
                continue;
            }
            kept.add(0, r);
        }
        kept.add(record);
        return kept.toArray(NO_LISTENERS);
    }

    /** The binding code's stack, from the JDK's bind method on, without the hook's own frames. */
    private static StackTraceElement[] callerStack() {
        StackTraceElement[] stack = new Throwable().getStackTrace();
        int from = 0;
        while (from < stack.length && HOOK_FRAMES.contains(stack[from].getClassName())) {
            from++;
        }
        return Arrays.copyOfRange(stack, from, stack.length);
    }
}
