package dev.hotbind.registry;

import dev.hotbind.jdk.JdkConnection;
import dev.hotbind.jdk.JdkImpls;
import java.io.Closeable;
import java.io.IOException;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;

/**
 * One connection a listener accepted. Refers to the application's socket weakly, so the agent never
 * keeps it alive; when the socket is collected unclosed the record is queued for the registry.
 * A connection the attach discovery found through the JDK's cleaner is known by its
 * {@code NioSocketImpl} (the JDK keeps no link back to its Socket): {@link #byImpl()}.
 */
public final class ConnectionRecord extends WeakReference<Object> {
    private final long id;
    private final ListenerRecord listener;
    private final int fd;
    private final long acceptedAtMillis;
    private final String acceptThread;
    private final boolean byImpl;
    private volatile ConnectionState state = ConnectionState.OPEN;
    private volatile long endedAtMillis;
    private volatile SocketAddress keptRemote;
    private volatile SocketAddress keptLocal;
    /** The listener's host when the connection was accepted: names the local end once it is closed. */
    private final InetAddress listenerHost;
    /**
     * A closed Socket's peer and local port, kept on the close path without allocating and without reading
     * the listener's record (whose line the accept thread keeps writing). Plain fields: {@link Registry}
     * writes them before {@link #end} writes the volatile {@code state}, and readers read {@code state} first.
     */
    private InetAddress closedPeerHost;
    private int closedPeerPort;
    private int closedLocalPort;

    ConnectionRecord(Object socket, ReferenceQueue<Object> queue, long id, ListenerRecord listener, int fd,
                     long acceptedAtMillis, String acceptThread) {
        super(socket, queue);
        this.id = id;
        this.listener = listener;
        this.fd = fd;
        this.acceptedAtMillis = acceptedAtMillis;
        this.acceptThread = acceptThread;
        this.byImpl = JdkImpls.isNio(socket);
        InetSocketAddress listening = listener.localAddress();
        this.listenerHost = listening == null ? null : listening.getAddress();
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

    /** 0 for a connection accepted before hotbind was attached. */
    public long acceptedAtMillis() {
        return acceptedAtMillis;
    }

    public String acceptThread() {
        return acceptThread;
    }

    /** Whether the record holds the connection's NioSocketImpl rather than its Socket (found at an attach). */
    public boolean byImpl() {
        return byImpl;
    }

    /** Whether {@code connection} is this record's socket, or the Socket whose impl this record holds. */
    boolean isFor(Object connection) {
        return refersTo(connection) || byImpl && refersTo(JdkImpls.implOf(connection));
    }

    /** Closes the socket as its own close() would: the Socket or channel, or for a discovered one its impl. */
    void closeSocket() throws IOException {
        Object socket = get();
        if (byImpl && socket != null) {
            JdkImpls.close(socket);
        } else if (socket instanceof Closeable) {
            ((Closeable) socket).close();
        }
    }

    public ConnectionState state() {
        return state;
    }

    public long endedAtMillis() {
        return endedAtMillis;
    }

    public String remoteAddress() {
        SocketAddress kept = keptRemote;
        if (kept == null && state != ConnectionState.OPEN && closedPeerHost != null) {
            return HostPort.of(closedPeerHost, closedPeerPort);
        }
        return HostPort.of(kept != null ? kept : remote());
    }

    public String localAddress() {
        SocketAddress kept = keptLocal;
        if (kept == null && state != ConnectionState.OPEN && closedLocalPort > 0 && listenerHost != null) {
            return HostPort.of(listenerHost, closedLocalPort);
        }
        return HostPort.of(kept != null ? kept : local());
    }

    /** Keeps the peer's address while the socket is open, so a record whose socket is collected later still names it. */
    public void keepPeer() {
        if (keptRemote == null) {
            keptRemote = remote();
        }
    }

    /**
     * Keeps the addresses of a connection being closed, from fields the JDK already holds: no system
     * call, no formatting and, for a Socket, no allocation, since this runs on every close (a channel is
     * already marked closed then, so its public getters would throw anyway; its address objects are kept).
     */
    void keepAddresses() {
        Object socket = get();
        if (socket instanceof Socket) {
            Socket s = (Socket) socket;
            try {
                closedPeerHost = s.getInetAddress();
                closedPeerPort = s.getPort();
                closedLocalPort = s.getLocalPort();
            } catch (RuntimeException unreadable) {
                // named by what the socket still says when asked, if anything
            }
            return;
        }
        keepPeer();
        keptLocal = local();
    }

    private SocketAddress remote() {
        Object socket = get();
        try {
            return socket instanceof Socket ? ((Socket) socket).getRemoteSocketAddress()
                    : socket == null ? null : byImpl ? JdkImpls.remote(socket) : JdkConnection.channelRemoteAddress(socket);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** A connection found at the attach is named by the listener's host and its impl's port field. */
    private SocketAddress local() {
        Object socket = get();
        try {
            if (socket instanceof Socket) {
                return ((Socket) socket).getLocalSocketAddress();
            }
            if (byImpl && socket != null) {
                return new InetSocketAddress(listener.localAddress().getAddress(), JdkImpls.localPort(socket));
            }
            return socket == null ? null : JdkConnection.channelLocalAddress(socket);
        } catch (RuntimeException unreadable) {
            return null;
        }
    }

    /** The socket's current value of an option, or null once it is closed or collected. */
    public <T> T option(SocketOption<T> name) {
        Object socket = get();
        return byImpl && socket != null ? JdkImpls.option(socket, name) : SocketQueries.option(socket, name);
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
