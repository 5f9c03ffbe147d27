package dev.hotbind.jdk;

import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.SocketImpl;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The JDK's own {@code NioSocketImpl}, behind every ServerSocket and accepted Socket without a custom
 * factory: its state lock, whether it is a listener's, the native thread blocked in it, its blocking mode, and the addresses
 * {@code SocketImpl} caches ({@code address}, {@code port}, {@code localport}).
 */
final class NioSocketImpls {
    private static final Class<?> TYPE;
    private static final VarHandle STATE_LOCK;
    private static final VarHandle SERVER;
    private static final VarHandle READER_THREAD;
    private static final VarHandle READ_LOCK;
    private static final VarHandle ADDRESS;
    private static final VarHandle PORT;
    private static final VarHandle LOCALPORT;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("NioSocketImpl");
        TYPE = r.type("sun.nio.ch.NioSocketImpl");
        STATE_LOCK = r.field(TYPE, "stateLock", Object.class);
        SERVER = r.field(TYPE, "server", boolean.class);
        READER_THREAD = r.field(TYPE, "readerThread", long.class);
        READ_LOCK = r.field(TYPE, "readLock", ReentrantLock.class);
        ADDRESS = r.field(SocketImpl.class, "address", InetAddress.class);
        PORT = r.field(SocketImpl.class, "port", int.class);
        LOCALPORT = r.field(SocketImpl.class, "localport", int.class);
        AVAILABILITY = Availability.all(SocketImpls.AVAILABILITY, r.availability());
    }

    private NioSocketImpls() {
    }

    static boolean is(SocketImpl impl) {
        return TYPE.isInstance(impl);
    }

    static Object stateLock(SocketImpl impl) {
        return STATE_LOCK.get(impl);
    }

    /** Whether it was created by a ServerSocket (a listener's) rather than for a connection. */
    static boolean server(SocketImpl impl) {
        return (boolean) SERVER.get(impl);
    }

    static long readerThread(SocketImpl impl) {
        return (long) READER_THREAD.get(impl);
    }

    /** The lock accept (and read) holds while it waits: its owner is the thread inside accept. */
    static ReentrantLock readLock(SocketImpl impl) {
        return (ReentrantLock) READ_LOCK.get(impl);
    }

    /** Read volatile: off the accept path, by the discovery and the audit, while the owner may write. */
    static InetAddress address(SocketImpl impl) {
        return (InetAddress) ADDRESS.getVolatile(impl);
    }

    static int port(SocketImpl impl) {
        return (int) PORT.getVolatile(impl);
    }

    static int localPort(SocketImpl impl) {
        return (int) LOCALPORT.getVolatile(impl);
    }

    /** What {@code getInetAddress} reports: a connection's peer, a listener's own host. */
    static void address(SocketImpl impl, InetAddress address) {
        ADDRESS.set(impl, address);
    }

    static void port(SocketImpl impl, int port) {
        PORT.set(impl, port);
    }

    static void localPort(SocketImpl impl, int port) {
        LOCALPORT.set(impl, port);
    }
}
