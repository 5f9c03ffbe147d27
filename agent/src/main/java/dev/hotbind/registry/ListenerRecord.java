package dev.hotbind.registry;

import dev.hotbind.jdk.JdkImpls;
import dev.hotbind.jdk.JdkListener;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectableChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * One listening socket of the application: a ServerSocket, or a ServerSocketChannel (whose adaptor
 * {@code channel.socket()} maps to the same record). Everything on the accept path is a counter
 * update or a copy-on-write of the few threads accepting on it: lock-free and O(1). A ServerSocket
 * found by the attach discovery is known by its {@code NioSocketImpl} alone (the JDK keeps no link
 * back to the ServerSocket) until the application's ServerSocket next accepts and is adopted.
 */
public final class ListenerRecord {
    private static final AcceptWaiter[] NONE = {};

    private final long id;
    private final String kind;
    private final ReferenceQueue<Object> collected;
    private volatile ServerReference server;
    /** Whether {@link #server} holds a discovered ServerSocket's impl rather than the ServerSocket. */
    private volatile boolean byImpl;
    private volatile long queuedAtAttachMillis;
    private volatile int backlog;
    /** Set once an operator gave the listener a backlog: then it is known even if bound before the attach. */
    private volatile boolean backlogSet;
    private final long boundAtMillis;
    private final String bindThread;
    private final StackTraceElement[] bindStack;

    private volatile InetSocketAddress localAddress;
    /** The inherited socket under this listener; null when the application's bind made its socket. */
    private volatile InheritedFrom inherited;
    private final ListenerLifecycle lifecycle = new ListenerLifecycle();
    private volatile long closedAtMillis;
    private final AtomicReference<AcceptWaiter[]> waiters = new AtomicReference<>(NONE);
    private final AtomicLong accepted = new AtomicLong();
    /**
     * Connections opened (accepted, or found by an attach) and ended: open is their difference. Kept apart
     * because the accept thread opens and the application's other threads end them: one counter written
     * by both moved its cache line between CPUs twice per connection. {@code ended} is striped.
     */
    private final AtomicInteger opened = new AtomicInteger();
    private final LongAdder ended = new LongAdder();
    private final AtomicInteger missedAccepts = new AtomicInteger();
    private volatile long lastAcceptMillis;
    private volatile Thread lastAcceptThread;
    private final AtomicLong failedAccepts = new AtomicLong();
    private volatile long lastFailureMillis;
    private volatile String lastFailure;
    private volatile Thread lastFailureThread;
    private volatile long failedAcceptsAtClose;
    private volatile boolean closedBeforeSeen;

    /** Queued when the application's socket is collected unclosed, so the registry closes the record. */
    static final class ServerReference extends WeakReference<Object> {
        final ListenerRecord listener;

        private ServerReference(Object server, ReferenceQueue<Object> queue, ListenerRecord listener) {
            super(server, queue);
            this.listener = listener;
        }
    }

    ListenerRecord(long id, Object server, ReferenceQueue<Object> collected, InetSocketAddress localAddress,
                   int backlog, long boundAtMillis, String bindThread, StackTraceElement[] bindStack) {
        this(id, server, false, collected, localAddress, backlog, boundAtMillis, bindThread, bindStack);
    }

    /** A listener found by the attach discovery: a channel, or a ServerSocket's NioSocketImpl ({@code byImpl}). */
    ListenerRecord(long id, Object found, boolean byImpl, ReferenceQueue<Object> collected,
                   InetSocketAddress localAddress) {
        this(id, found, byImpl, collected, localAddress, 0, 0, "", new StackTraceElement[0]);
    }

    private ListenerRecord(long id, Object server, boolean byImpl, ReferenceQueue<Object> collected,
                           InetSocketAddress localAddress, int backlog, long boundAtMillis, String bindThread,
                           StackTraceElement[] bindStack) {
        this.id = id;
        // an impl is not a ServerSocketChannel, so it is named a ServerSocket, as its owner is
        this.kind = SocketQueries.kindOf(server);
        this.collected = collected;
        this.server = new ServerReference(server, collected, this);
        this.byImpl = byImpl;
        this.localAddress = localAddress;
        this.backlog = backlog;
        this.boundAtMillis = boundAtMillis;
        this.bindThread = bindThread;
        this.bindStack = bindStack;
    }

    public long id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    /**
     * The application's own ServerSocket or ServerSocketChannel, unless it was collected; for a
     * ServerSocket discovered but not adopted yet, a stand-in of hotbind's on the very same socket.
     */
    public Object server() {
        Object s = server.get();
        return s != null && byImpl ? JdkImpls.standIn(s) : s;
    }

    /**
     * When the attach discovery saw connections waiting in the accept queue with no thread inside
     * accept and no selector watching: a dead acceptor from before the attach. 0 otherwise.
     */
    public long queuedAtAttachMillis() {
        return queuedAtAttachMillis;
    }

    void queuedAtAttach(long atMillis) {
        queuedAtAttachMillis = atMillis;
    }

    boolean byImpl() {
        return byImpl;
    }

    /** The application's ServerSocket showed itself (it accepts on the impl this record was found by). */
    void adopt(Object serverSocket) {
        ServerReference impl = server;
        server = new ServerReference(serverSocket, collected, this);
        byImpl = false;
        // collected with the ServerSocket that holds it: the new reference alone tells the registry
        impl.clear();
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Where the inherited socket under this listener came from (e.g. {@code fd 3 (http)}); "" if none. */
    public String inherited() {
        InheritedFrom from = inherited;
        return from == null ? "" : from.origin();
    }

    /** The inherited socket under this listener, or null. */
    public InheritedFrom inheritedFrom() {
        return inherited;
    }

    void inherited(InheritedFrom from) {
        inherited = from;
    }

    /** Host and port as an operator writes them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
    public String address() {
        return HostPort.of(localAddress);
    }

    public void movedTo(InetSocketAddress newAddress) {
        localAddress = newAddress;
    }

    /**
     * The backlog last passed to listen(): the application's at bind (0: the JDK's default), or the one
     * setBacklog gave; 0 when the listener was bound before hotbind was attached and never given one.
     * A rebind listens with it again.
     */
    public int backlog() {
        return backlog;
    }

    /** Whether {@link #backlog()} is what the socket listens with: hotbind saw the bind, or set it since. */
    public boolean backlogKnown() {
        return boundAtMillis != 0 || backlogSet;
    }

    /** setBacklog listened with {@code newBacklog}; a rebind from now on listens with it too. */
    public void backlogSet(int newBacklog) {
        backlog = newBacklog;
        backlogSet = true;
    }

    /** 0 when the listener was bound before hotbind was attached. */
    public long boundAtMillis() {
        return boundAtMillis;
    }

    public String bindThread() {
        return bindThread;
    }

    /** Empty when the listener was bound before hotbind was attached. */
    public StackTraceElement[] bindStack() {
        return bindStack.clone();
    }

    /** Its state, operation lock and what operations keep about it between calls. */
    public ListenerLifecycle lifecycle() {
        return lifecycle;
    }

    public ListenerState state() {
        return lifecycle.state();
    }

    public long closedAtMillis() {
        return closedAtMillis;
    }

    public long acceptedCount() {
        return accepted.get();
    }

    public int openConnections() {
        return (int) (opened.get() - ended.sum());
    }

    public long lastAcceptMillis() {
        return lastAcceptMillis;
    }

    /** The thread that accepted last, or null: issue-4 audits use it to spot a dead acceptor. */
    public Thread lastAcceptThread() {
        return lastAcceptThread;
    }

    public long failedAccepts() {
        return failedAccepts.get();
    }

    public long lastFailureMillis() {
        return lastFailureMillis;
    }

    public String lastFailure() {
        return lastFailure;
    }

    /** The thread whose accept failed last, or null. */
    public Thread lastFailureThread() {
        return lastFailureThread;
    }

    /** Failed accepts counted when the listener was closed: those after it are calls on a closed socket. */
    public long failedAcceptsAtClose() {
        return failedAcceptsAtClose;
    }

    public List<AcceptWaiter> acceptWaiters() {
        return List.of(waiters.get());
    }

    public List<Thread> acceptThreads() {
        List<Thread> threads = new ArrayList<>();
        for (AcceptWaiter w : waiters.get()) {
            threads.add(w.thread);
        }
        return threads;
    }

    /** The listening socket's descriptor number while it is open, else -1: links it to the kernel's view. */
    public int fd() {
        Object s = server();
        return s == null || isClosed() ? -1 : JdkListener.fdOf(s);
    }

    /** Whether the socket is in blocking mode now (a channel may switch after bind). */
    public boolean blocking() {
        Object s = server();
        return !(s instanceof SelectableChannel) || ((SelectableChannel) s).isBlocking();
    }

    public boolean reuseAddress() {
        return Boolean.TRUE.equals(option(StandardSocketOptions.SO_REUSEADDR));
    }

    public boolean reusePort() {
        return Boolean.TRUE.equals(option(StandardSocketOptions.SO_REUSEPORT));
    }

    /** The socket's current value of an option, or null when closed or unsupported. */
    public <T> T option(SocketOption<T> name) {
        return SocketQueries.option(server(), name);
    }

    /**
     * Whether this is the JVM's own JMX connector (the RMI listener of the local management agent that
     * JConsole and hotbind's CLI talk through): bound by {@code sun.rmi}, or accepted on by its thread.
     */
    public boolean isJvmManagementConnector() {
        for (StackTraceElement frame : bindStack) {
            if (frame.getClassName().startsWith("sun.rmi.")) {
                return true;
            }
        }
        for (AcceptWaiter waiter : waiters.get()) {
            if (waiter.thread.getName().startsWith("RMI TCP Accept")) {
                return true;
            }
        }
        Thread last = lastAcceptThread;
        return last != null && last.getName().startsWith("RMI TCP Accept");
    }

    boolean isClosed() {
        return lifecycle.state() == ListenerState.CLOSED;
    }

    boolean refersTo(Object candidate) {
        return server.get() == candidate;
    }

    boolean collected() {
        return server.get() == null;
    }

    /**
     * A thread enters accept. A waiter the attach discovery found for the same thread is stale by
     * then: that thread has left the accept it was in before the attach, whose code hotbind never saw.
     */
    AcceptWaiter enter(Thread thread, long nowMillis) {
        return add(new AcceptWaiter(this, thread, nowMillis, false));
    }

    /** A thread the attach discovery found inside accept since before the attach; null if already known. */
    AcceptWaiter enterDiscovered(Thread thread) {
        for (AcceptWaiter w : waiters.get()) {
            if (w.thread == thread) {
                return null;
            }
        }
        return add(new AcceptWaiter(this, thread, 0, true));
    }

    private AcceptWaiter add(AcceptWaiter waiter) {
        AcceptWaiter[] current;
        AcceptWaiter[] next;
        do {
            current = waiters.get();
            next = new AcceptWaiter[current.length + 1];
            int n = 0;
            for (AcceptWaiter w : current) {
                if (!(w.discovered && w.thread == waiter.thread)) {
                    next[n++] = w;
                }
            }
            next[n++] = waiter;
            next = n == next.length ? next : Arrays.copyOf(next, n);
        } while (!waiters.compareAndSet(current, next));
        if (next.length == current.length) {
            // the thread is back: the accept it was in at the attach returned, most likely with a connection
            // that no advice saw; counted here, looked for by the audit (see takeMissedAccepts)
            missedAccepts.incrementAndGet();
            countAccept(waiter.thread, waiter.sinceMillis);
        }
        return waiter;
    }

    /**
     * How many accepts returned in frames older than the attach since last asked: their connections
     * were made after the attach, but only a search of the JDK's structures can find them.
     */
    public int takeMissedAccepts() {
        return missedAccepts.getAndSet(0);
    }

    /** Drops the discovered waiters {@code stillInside} denies: their thread left that accept unseen. */
    public void pruneDiscovered(Predicate<AcceptWaiter> stillInside) {
        for (AcceptWaiter w : waiters.get()) {
            if (w.discovered && !stillInside.test(w)) {
                leave(w);
            }
        }
    }

    void leave(AcceptWaiter waiter) {
        AcceptWaiter[] current;
        AcceptWaiter[] next;
        do {
            current = waiters.get();
            int at = indexOf(current, waiter);
            if (at < 0) {
                return;
            }
            next = current.length == 1 ? NONE : new AcceptWaiter[current.length - 1];
            System.arraycopy(current, 0, next, 0, at);
            System.arraycopy(current, at + 1, next, at, current.length - at - 1);
        } while (!waiters.compareAndSet(current, next));
    }

    private static int indexOf(AcceptWaiter[] waiters, AcceptWaiter waiter) {
        for (int i = 0; i < waiters.length; i++) {
            if (waiters[i] == waiter) {
                return i;
            }
        }
        return -1;
    }

    void accepted(Thread thread, long nowMillis) {
        opened.incrementAndGet();
        countAccept(thread, nowMillis);
    }

    private void countAccept(Thread thread, long nowMillis) {
        accepted.incrementAndGet();
        // written when the millisecond changes only: a busy listener accepts many times per millisecond
        if (lastAcceptMillis != nowMillis) {
            lastAcceptMillis = nowMillis;
        }
        if (lastAcceptThread != thread) {
            lastAcceptThread = thread;
        }
    }

    /** A connection accepted before the attach, found by the discovery: open, but not counted as accepted. */
    void discoveredConnection() {
        opened.incrementAndGet();
    }

    void connectionEnded() {
        ended.increment();
    }

    void acceptFailed(Thread thread, String failure, long nowMillis) {
        failedAccepts.incrementAndGet();
        lastFailureMillis = nowMillis;
        lastFailure = failure;
        if (lastFailureThread != thread) {
            lastFailureThread = thread;
        }
    }

    /** Found already closed (by a thread still calling accept on it after an attach): closed from the start. */
    void closedBeforeSeen(long nowMillis) {
        closedBeforeSeen = true;
        close(nowMillis);
    }

    /** Whether hotbind never saw it open: its close time is when hotbind found it closed. */
    public boolean closedBeforeSeen() {
        return closedBeforeSeen;
    }

    /** True for the first close only, whoever closed: the application, an operator, or collection. */
    boolean close(long nowMillis) {
        if (!lifecycle.close()) {
            return false;
        }
        closedAtMillis = nowMillis;
        failedAcceptsAtClose = failedAccepts.get();
        return true;
    }

    @Override
    public String toString() {
        return kind + " #" + id + " " + address() + " " + lifecycle.state();
    }
}
