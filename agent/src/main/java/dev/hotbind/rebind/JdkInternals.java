package dev.hotbind.rebind;

import java.io.FileDescriptor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.net.SocketImpl;
import java.nio.channels.SelectionKey;
import java.nio.channels.spi.AbstractSelectableChannel;

/**
 * The private JDK members a socket swap needs, on JDK 17 and 25: {@code InheritedChannel.dup2},
 * {@code NativeThread.signal}, and the state of {@code ServerSocketChannelImpl}, {@code NioSocketImpl}
 * and selection keys. Needs {@code sun.nio.ch}, {@code java.net}, {@code java.io} and
 * {@code java.nio.channels.spi} opened to this module. When something is missing (another JDK,
 * packages not opened) {@link #UNAVAILABLE} says what, and every operation refuses with that reason.
 */
final class JdkInternals {
    static final String UNAVAILABLE;

    static final Class<?> CHANNEL_IMPL;
    static final Class<?> SOCKET_IMPL;
    private static final Method DUP2;
    private static final Method SIGNAL;
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

    static {
        String unavailable = null;
        Class<?> channelImpl = null;
        Class<?> socketImpl = null;
        Method dup2 = null;
        Method signal = null;
        Field[] f = new Field[16];
        Method registeredEvents = null;
        Method setEventOps = null;
        try {
            if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
                throw new UnsupportedOperationException("rebind needs Linux (SO_REUSEPORT after listen, dup2 "
                        + "semantics); this is " + System.getProperty("os.name"));
            }
            Class<?> inherited = Class.forName("sun.nio.ch.InheritedChannel");
            dup2 = accessible(inherited.getDeclaredMethod("dup2", int.class, int.class));
            signal = accessible(Class.forName("sun.nio.ch.NativeThread").getDeclaredMethod("signal", long.class));
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
        DUP2 = dup2;
        SIGNAL = signal;
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
        try {
            IMPL_LOCALPORT.setInt(impl, port);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
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

    private static void invoke(Method method, Object target, Object... args) throws java.io.IOException {
        try {
            method.invoke(target, args);
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
