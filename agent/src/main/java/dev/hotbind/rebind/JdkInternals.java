package dev.hotbind.rebind;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;

/**
 * The private JDK members a socket swap and a queue hand-over need, on JDK 17 and 25:
 * {@code InheritedChannel.dup/dup2/close0}, {@code NativeThread.signal}, {@code Net.accept},
 * {@code Net.listen} (a same-port rebind renews the listener in place),
 * {@code IOUtil.configureBlocking}, and the state of {@code ServerSocketChannelImpl},
 * {@code NioSocketImpl}, accepted {@code SocketChannelImpl}s and {@code Socket}s, and selection keys. Needs {@code sun.nio.ch}, {@code java.net}, {@code java.io} and
 * {@code java.nio.channels.spi} opened to this module. When something is missing (another JDK,
 * packages not opened) {@link #UNAVAILABLE} says what, and every operation refuses with that reason.
 */
final class JdkInternals {
    static final String UNAVAILABLE;

    static final Class<?> CHANNEL_IMPL;
    static final Class<?> SOCKET_IMPL;
    private static final Method DUP;
    private static final Method DUP2;
    private static final Method CLOSE_FD;
    private static final Method SIGNAL;
    private static final Method NET_ACCEPT;
    private static final Method NET_LOCAL_ADDRESS;
    private static final Method CONFIGURE_BLOCKING;
    private static final Method NET_LISTEN;
    private static final Field CHANNEL_FD;
    private static final Field CHANNEL_STATE_LOCK;
    private static final Field CHANNEL_THREAD;
    private static final Field CHANNEL_LOCAL_ADDRESS;
    private static final Field CHANNEL_FAMILY;
    /** JDK 21+: a blocking channel used by a virtual thread has a non-blocking descriptor; absent on 17. */
    private static final Field CHANNEL_FORCED_NON_BLOCKING;
    private static final Field SERVER_SOCKET_IMPL;
    private static final Field IMPL_FD;
    private static final Field IMPL_ADDRESS;
    private static final Field IMPL_LOCALPORT;
    private static final Field IMPL_STATE_LOCK;
    private static final Field IMPL_READER_THREAD;
    private static final Field IMPL_NON_BLOCKING;
    private static final Field FD_INT;
    private static final Field CHANNEL_KEYS;
    private static final Method KEY_REGISTERED_EVENTS;
    private static final Method SELECTOR_SET_EVENT_OPS;
    private static final Class<?> CONNECTION_IMPL;
    private static final Field CONNECTION_FD;
    private static final Field CONNECTION_LOCAL_ADDRESS;
    private static final Field CONNECTION_REMOTE_ADDRESS;
    private static final Field SOCKET_IMPL_OF_SOCKET;
    private static final Field IMPL_PORT;

    static {
        String unavailable = null;
        Class<?> channelImpl = null;
        Class<?> socketImpl = null;
        Method[] m = new Method[8];
        Class<?> connectionImpl = null;
        Field[] f = new Field[22];
        Method registeredEvents = null;
        Method setEventOps = null;
        try {
            if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                throw new UnsupportedOperationException("rebind needs Linux (SO_REUSEPORT after listen, dup2 "
                        + "semantics); this is " + System.getProperty("os.name"));
            }
            Class<?> inherited = Class.forName("sun.nio.ch.InheritedChannel");
            m[0] = accessible(inherited.getDeclaredMethod("dup", int.class));
            m[1] = accessible(inherited.getDeclaredMethod("dup2", int.class, int.class));
            m[2] = accessible(inherited.getDeclaredMethod("close0", int.class));
            m[3] = accessible(Class.forName("sun.nio.ch.NativeThread").getDeclaredMethod("signal", long.class));
            Class<?> net = Class.forName("sun.nio.ch.Net");
            m[4] = accessible(net.getDeclaredMethod("accept", FileDescriptor.class, FileDescriptor.class,
                    InetSocketAddress[].class));
            m[5] = accessible(net.getDeclaredMethod("localAddress", FileDescriptor.class));
            m[7] = accessible(net.getDeclaredMethod("listen", FileDescriptor.class, int.class));
            m[6] = accessible(Class.forName("sun.nio.ch.IOUtil").getDeclaredMethod("configureBlocking",
                    FileDescriptor.class, boolean.class));
            channelImpl = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
            f[0] = field(channelImpl, "fdVal");
            f[1] = field(channelImpl, "stateLock");
            f[2] = field(channelImpl, "thread");
            f[3] = field(channelImpl, "localAddress");
            f[4] = field(channelImpl, "family");
            f[5] = optionalField(channelImpl, "forcedNonBlocking");
            socketImpl = Class.forName("sun.nio.ch.NioSocketImpl");
            f[6] = field(ServerSocket.class, "impl");
            f[7] = field(SocketImpl.class, "fd");
            f[8] = field(SocketImpl.class, "address");
            f[9] = field(SocketImpl.class, "localport");
            f[10] = field(socketImpl, "stateLock");
            f[11] = field(socketImpl, "readerThread");
            f[12] = field(socketImpl, "nonBlocking");
            f[13] = field(FileDescriptor.class, "fd");
            f[14] = field(AbstractSelectableChannel.class, "keys");
            connectionImpl = Class.forName("sun.nio.ch.SocketChannelImpl");
            f[15] = field(connectionImpl, "fdVal");
            f[16] = field(connectionImpl, "localAddress");
            f[17] = field(connectionImpl, "remoteAddress");
            f[18] = field(Socket.class, "impl");
            f[19] = field(SocketImpl.class, "port");
            Class<?> keyImpl = Class.forName("sun.nio.ch.SelectionKeyImpl");
            registeredEvents = accessible(keyImpl.getDeclaredMethod("registeredEvents", int.class));
            setEventOps = accessible(Class.forName("sun.nio.ch.SelectorImpl").getDeclaredMethod("setEventOps",
                    keyImpl));
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = "rebind is unavailable in this JVM (" + e + "); auditing keeps working";
        }
        UNAVAILABLE = unavailable;
        CHANNEL_IMPL = channelImpl;
        SOCKET_IMPL = socketImpl;
        DUP = m[0];
        DUP2 = m[1];
        CLOSE_FD = m[2];
        SIGNAL = m[3];
        NET_ACCEPT = m[4];
        NET_LOCAL_ADDRESS = m[5];
        CONFIGURE_BLOCKING = m[6];
        NET_LISTEN = m[7];
        CONNECTION_IMPL = connectionImpl;
        CONNECTION_FD = f[15];
        CONNECTION_LOCAL_ADDRESS = f[16];
        CONNECTION_REMOTE_ADDRESS = f[17];
        SOCKET_IMPL_OF_SOCKET = f[18];
        IMPL_PORT = f[19];
        CHANNEL_FD = f[0];
        CHANNEL_STATE_LOCK = f[1];
        CHANNEL_THREAD = f[2];
        CHANNEL_LOCAL_ADDRESS = f[3];
        CHANNEL_FAMILY = f[4];
        CHANNEL_FORCED_NON_BLOCKING = f[5];
        SERVER_SOCKET_IMPL = f[6];
        IMPL_FD = f[7];
        IMPL_ADDRESS = f[8];
        IMPL_LOCALPORT = f[9];
        IMPL_STATE_LOCK = f[10];
        IMPL_READER_THREAD = f[11];
        IMPL_NON_BLOCKING = f[12];
        FD_INT = f[13];
        CHANNEL_KEYS = f[14];
        KEY_REGISTERED_EVENTS = registeredEvents;
        SELECTOR_SET_EVENT_OPS = setEventOps;
    }

    private JdkInternals() {
    }

    private static Field field(Class<?> owner, String name) throws NoSuchFieldException {
        return accessible(owner.getDeclaredField(name));
    }

    private static Field optionalField(Class<?> owner, String name) {
        try {
            return field(owner, name);
        } catch (NoSuchFieldException absentOnThisJdk) {
            return null;
        }
    }

    private static <T extends java.lang.reflect.AccessibleObject> T accessible(T member) {
        member.setAccessible(true);
        return member;
    }

    static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static void set(Field field, Object owner, Object value) {
        try {
            field.set(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    static void dup2(int from, int to) throws java.io.IOException {
        invoke(DUP2, null, from, to);
    }

    /** A second descriptor for the same socket: it stays open when the first is replaced. */
    static int dup(int fd) throws java.io.IOException {
        return (int) invoke(DUP, null, fd);
    }

    static void closeFd(int fd) throws java.io.IOException {
        invoke(CLOSE_FD, null, fd);
    }

    static FileDescriptor descriptor(int fd) {
        FileDescriptor descriptor = new FileDescriptor();
        set(FD_INT, descriptor, fd);
        return descriptor;
    }

    static int fdInt(FileDescriptor descriptor) {
        return (int) get(FD_INT, descriptor);
    }

    static void configureBlocking(FileDescriptor fd, boolean blocking) throws java.io.IOException {
        invoke(CONFIGURE_BLOCKING, null, fd, blocking);
    }

    /** The JDK's own accept: 1 with {@code accepted} and {@code peer[0]} set, or a negative IOStatus. */
    static int accept(FileDescriptor listener, FileDescriptor accepted, InetSocketAddress[] peer)
            throws java.io.IOException {
        return (int) invoke(NET_ACCEPT, null, listener, accepted, peer);
    }

    /** {@code listen(2)} again on a listening socket: the kernel only sets its backlog, nothing else changes. */
    static void listen(int fd, int backlog) throws java.io.IOException {
        invoke(NET_LISTEN, null, descriptor(fd), backlog);
    }

    static InetSocketAddress localAddress(FileDescriptor fd) throws java.io.IOException {
        return (InetSocketAddress) invoke(NET_LOCAL_ADDRESS, null, fd);
    }

    /**
     * An accepted connection as the JDK made it: a {@code SocketChannelImpl}, or a {@code Socket} whose
     * implementation is {@code NioSocketImpl}; null for anything else.
     */
    static AcceptedConnection accepted(Object connection) {
        if (UNAVAILABLE != null) {
            return null;
        }
        if (CONNECTION_IMPL.isInstance(connection)) {
            return new AcceptedConnection(connection, null);
        }
        if (connection instanceof Socket) {
            Object impl = get(SOCKET_IMPL_OF_SOCKET, connection);
            return SOCKET_IMPL.isInstance(impl) ? new AcceptedConnection(connection, impl) : null;
        }
        return null;
    }

    /** The fields of an accepted connection a hand-over rewrites. */
    static final class AcceptedConnection {
        private final Object channel;
        private final Object impl;

        private AcceptedConnection(Object connection, Object impl) {
            this.channel = impl == null ? connection : null;
            this.impl = impl;
        }

        int fd() {
            return channel != null ? (int) get(CONNECTION_FD, channel) : implFd(impl);
        }

        InetSocketAddress peer() {
            if (channel != null) {
                return (InetSocketAddress) get(CONNECTION_REMOTE_ADDRESS, channel);
            }
            java.net.InetAddress address = (java.net.InetAddress) get(IMPL_ADDRESS, impl);
            return address == null ? null : new InetSocketAddress(address, getInt(IMPL_PORT, impl));
        }

        /** Makes the object report the connection now under its descriptor. */
        void addresses(InetSocketAddress local, InetSocketAddress peer) {
            if (channel != null) {
                set(CONNECTION_LOCAL_ADDRESS, channel, local);
                set(CONNECTION_REMOTE_ADDRESS, channel, peer);
            } else {
                set(IMPL_ADDRESS, impl, peer.getAddress());
                setInt(IMPL_PORT, impl, peer.getPort());
                setInt(IMPL_LOCALPORT, impl, local.getPort());
            }
        }
    }

    private static int getInt(Field field, Object owner) {
        try {
            return field.getInt(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void setInt(Field field, Object owner, int value) {
        try {
            field.setInt(owner, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Interrupts the system call a platform thread is blocked in; the JDK retries it on EINTR. */
    static void signal(long nativeThread) throws java.io.IOException {
        if (nativeThread > 0) {
            invoke(SIGNAL, null, nativeThread);
        }
    }

    static int channelFd(Object channel) {
        return (int) get(CHANNEL_FD, channel);
    }

    static Object channelStateLock(Object channel) {
        return get(CHANNEL_STATE_LOCK, channel);
    }

    static long channelThread(Object channel) {
        return (long) get(CHANNEL_THREAD, channel);
    }

    static void channelLocalAddress(Object channel, Object address) {
        set(CHANNEL_LOCAL_ADDRESS, channel, address);
    }

    static java.net.ProtocolFamily channelFamily(Object channel) {
        return (java.net.ProtocolFamily) get(CHANNEL_FAMILY, channel);
    }

    static boolean channelForcedNonBlocking(Object channel) {
        return CHANNEL_FORCED_NON_BLOCKING != null && (boolean) get(CHANNEL_FORCED_NON_BLOCKING, channel);
    }

    static Object socketImpl(ServerSocket socket) {
        return get(SERVER_SOCKET_IMPL, socket);
    }

    static int implFd(Object impl) {
        FileDescriptor fd = (FileDescriptor) get(IMPL_FD, impl);
        return fd == null ? -1 : (int) get(FD_INT, fd);
    }

    static Object implStateLock(Object impl) {
        return get(IMPL_STATE_LOCK, impl);
    }

    static long implReaderThread(Object impl) {
        return (long) get(IMPL_READER_THREAD, impl);
    }

    static boolean implNonBlocking(Object impl) {
        return (boolean) get(IMPL_NON_BLOCKING, impl);
    }

    static void implLocalAddress(Object impl, java.net.InetAddress address, int port) {
        set(IMPL_ADDRESS, impl, address);
        setInt(IMPL_LOCALPORT, impl, port);
    }

    /**
     * After a dup2 the selector's epoll registration of the old socket is gone while the key still
     * believes it is registered: forget the registration and queue the interest ops again, so the
     * selector adds the new socket on its next round.
     */
    static int rearmKeys(AbstractSelectableChannel channel) throws java.io.IOException {
        // a racy read of the JDK's key array is enough: a key registered after it sees the new socket anyway
        SelectionKey[] keys = (SelectionKey[]) get(CHANNEL_KEYS, channel);
        int rearmed = 0;
        for (SelectionKey key : keys == null ? new SelectionKey[0] : keys.clone()) {
            if (key != null && key.isValid()) {
                invoke(KEY_REGISTERED_EVENTS, key, 0);
                invoke(SELECTOR_SET_EVENT_OPS, key.selector(), key);
                key.selector().wakeup();
                rearmed++;
            }
        }
        return rearmed;
    }

    private static Object invoke(Method method, Object target, Object... args) throws java.io.IOException {
        try {
            return method.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (java.lang.reflect.InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof java.io.IOException) {
                throw (java.io.IOException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException(cause);
        }
    }
}
