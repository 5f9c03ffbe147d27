package dev.hotbind.registry;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.net.Socket;

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
    private volatile String remoteAddress;
    private volatile String localAddress;

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
        describe();
        return remoteAddress == null ? "" : remoteAddress;
    }

    public String localAddress() {
        describe();
        return localAddress == null ? "" : localAddress;
    }

    /**
     * Reads the addresses once, off the accept path. A channel is already marked closed when its close
     * is seen, so its public getters would throw: its address fields are read instead.
     */
    void describe() {
        if (remoteAddress != null) {
            return;
        }
        Object socket = get();
        try {
            if (socket instanceof Socket) {
                Socket s = (Socket) socket;
                localAddress = HostPort.of(s.getLocalSocketAddress());
                remoteAddress = HostPort.of(s.getRemoteSocketAddress());
            } else if (socket != null) {
                localAddress = HostPort.of(JdkSockets.channelLocalAddress(socket));
                remoteAddress = HostPort.of(JdkSockets.channelRemoteAddress(socket));
            }
        } catch (RuntimeException unreadable) {
            // addresses stay unknown; the record is still accurate about everything else
        }
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
