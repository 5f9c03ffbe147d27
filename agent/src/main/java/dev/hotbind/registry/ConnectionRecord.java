package dev.hotbind.registry;

import dev.hotbind.jdk.JdkConnection;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;

/**
 * One connection a listener accepted. Refers to the application's socket weakly, so the agent never
 * keeps it alive; when the socket is collected unclosed the record is queued for the registry.
 */
public final class ConnectionRecord extends WeakReference<Object> {
    private final long id;
    private final ListenerRecord listener;
    private final int fd;
    private final long acceptedAtMillis;
    private final String acceptThread;
    private volatile ConnectionState state = ConnectionState.OPEN;
    private volatile long endedAtMillis;
    private volatile SocketAddress keptRemote;
    private volatile SocketAddress keptLocal;

    ConnectionRecord(Object socket, ReferenceQueue<Object> queue, long id, ListenerRecord listener, int fd,
                     long acceptedAtMillis, String acceptThread) {
        super(socket, queue);
        this.id = id;
        this.listener = listener;
        this.fd = fd;
        this.acceptedAtMillis = acceptedAtMillis;
        this.acceptThread = acceptThread;
    }

    public long id() {
        return id;
    }

    public ListenerRecord listener() {
        return listener;
    }

    /** The descriptor number, which links the record to the kernel's socket in /proc/self/fd. */
    public int fd() {
        return fd;
    }

    public long acceptedAtMillis() {
        return acceptedAtMillis;
    }

    public String acceptThread() {
        return acceptThread;
    }

    public ConnectionState state() {
        return state;
    }

    public long endedAtMillis() {
        return endedAtMillis;
    }

    public String remoteAddress() {
        SocketAddress kept = keptRemote;
        return HostPort.of(kept != null ? kept : remote());
    }

    public String localAddress() {
        SocketAddress kept = keptLocal;
        return HostPort.of(kept != null ? kept : local(false));
    }

    /** Keeps the peer's address while the socket is open, so a record whose socket is collected later still names it. */
    public void keepPeer() {
        if (keptRemote == null) {
            keptRemote = remote();
        }
    }

    /**
     * Keeps the addresses of a connection being closed, from fields the JDK already holds: no system
     * call and no formatting, since this runs on every close (a channel is already marked closed
     * then, so its public getters would throw anyway).
     */
    void keepAddresses() {
        keepPeer();
        keptLocal = local(true);
    }

    private SocketAddress remote() {
        Object socket = get();
        try {
            return socket instanceof Socket ? ((Socket) socket).getRemoteSocketAddress()
                    : socket == null ? null : JdkConnection.channelRemoteAddress(socket);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** {@code cheap}: the listener's host and the socket's port field, instead of asking the kernel. */
    private SocketAddress local(boolean cheap) {
        Object socket = get();
        try {
            if (socket instanceof Socket) {
                Socket s = (Socket) socket;
                return cheap ? new InetSocketAddress(listener.localAddress().getAddress(), s.getLocalPort())
                        : s.getLocalSocketAddress();
            }
            return socket == null ? null : JdkConnection.channelLocalAddress(socket);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The socket's current value of an option, or null once it is closed or collected. */
    public <T> T option(SocketOption<T> name) {
        return SocketQueries.option(get(), name);
    }

    boolean end(ConnectionState how, long nowMillis) {
        if (state != ConnectionState.OPEN) {
            return false;
        }
        endedAtMillis = nowMillis;
        state = how;
        return true;
    }
}
