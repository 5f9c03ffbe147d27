package dev.hotbind.registry;

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
import java.util.concurrent.atomic.AtomicReference;

/**
 * One listening socket of the application: a ServerSocket, or a ServerSocketChannel (whose adaptor
 * {@code channel.socket()} maps to the same record). Everything on the accept path is a counter
 * update or a copy-on-write of the few threads accepting on it: lock-free and O(1).
 */
public final class ListenerRecord {
    private static final AcceptWaiter[] NONE = {};

    private final long id;
    private final String kind;
    private final ServerReference server;
    private final int backlog;
    private final long boundAtMillis;
    private final String bindThread;
    private final StackTraceElement[] bindStack;

    private volatile InetSocketAddress localAddress;
    private final ListenerLifecycle lifecycle = new ListenerLifecycle();
    private volatile long closedAtMillis;
    private final AtomicReference<AcceptWaiter[]> waiters = new AtomicReference<>(NONE);
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicInteger openConnections = new AtomicInteger();
    private volatile long lastAcceptMillis;
    private volatile Thread lastAcceptThread;
    private final AtomicLong failedAccepts = new AtomicLong();
    private volatile long lastFailureMillis;
    private volatile String lastFailure;
    private volatile Thread lastFailureThread;
    private volatile long failedAcceptsAtClose;

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
        this.id = id;
        this.kind = SocketQueries.kindOf(server);
        this.server = new ServerReference(server, collected, this);
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

    /** The application's own ServerSocket or ServerSocketChannel, unless it was collected. */
    public Object server() {
        return server.get();
    }

    public InetSocketAddress localAddress() {
        return localAddress;
    }

    /** Host and port as an operator writes them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
    public String address() {
        return HostPort.of(localAddress);
    }

    public void movedTo(InetSocketAddress newAddress) {
        localAddress = newAddress;
    }

    /** The backlog the application asked for; 0 when the listener was bound before hotbind was attached. */
    public int backlog() {
        return backlog;
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
        return openConnections.get();
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

    AcceptWaiter enter(Thread thread, long nowMillis) {
        AcceptWaiter waiter = new AcceptWaiter(this, thread, nowMillis);
        AcceptWaiter[] current;
        AcceptWaiter[] next;
        do {
            current = waiters.get();
            next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = waiter;
        } while (!waiters.compareAndSet(current, next));
        return waiter;
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
        accepted.incrementAndGet();
        openConnections.incrementAndGet();
        lastAcceptMillis = nowMillis;
        if (lastAcceptThread != thread) {
            lastAcceptThread = thread;
        }
    }

    void connectionEnded() {
        openConnections.decrementAndGet();
    }

    void acceptFailed(Thread thread, String failure, long nowMillis) {
        failedAccepts.incrementAndGet();
        lastFailureMillis = nowMillis;
        lastFailure = failure;
        if (lastFailureThread != thread) {
            lastFailureThread = thread;
        }
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
