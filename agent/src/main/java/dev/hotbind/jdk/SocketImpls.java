package dev.hotbind.jdk;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.SocketOption;

/**
 * The JDK's socket implementation, {@code sun.nio.ch.NioSocketImpl}, as the attach discovery finds it
 * in the common cleaner's list: without the {@code ServerSocket} or {@code Socket} that owns it, which
 * the JDK does not link back to. Reads its state, and stands a {@code ServerSocket} in front of a
 * listening impl so that the operations, written for the application's objects, act on the same
 * socket. Needs {@code java.net}, {@code java.io} and {@code sun.nio.ch} opened to this module.
 */
public final class SocketImpls {
    private static final Class<?> NIO_IMPL;
    private static final VarHandle SERVER;
    private static final VarHandle READER_THREAD;
    private static final VarHandle FD;
    private static final VarHandle FD_INT;
    private static final VarHandle ADDRESS;
    private static final VarHandle PORT;
    private static final VarHandle LOCAL_PORT;
    private static final VarHandle SOCKET_IMPL;
    private static final VarHandle SERVER_SOCKET_IMPL;
    private static final Class<?> DELEGATING;
    private static final VarHandle DELEGATE;
    private static final MethodHandle STAND_IN;
    private static final VarHandle STAND_IN_CREATED;
    private static final VarHandle STAND_IN_BOUND;
    private static final VarHandle SERVER_SOCKET_CLOSED;
    private static final MethodHandle CLOSE;
    private static final MethodHandle GET_OPTION;
    /** Why NioSocketImpl cannot be read on this JDK, or null when it can. */
    public static final String UNAVAILABLE;

    static {
        Class<?> nioImpl = null;
        VarHandle server = null;
        VarHandle readerThread = null;
        VarHandle fd = null;
        VarHandle fdInt = null;
        VarHandle address = null;
        VarHandle port = null;
        VarHandle localPort = null;
        VarHandle socketImpl = null;
        VarHandle serverSocketImpl = null;
        Class<?> delegating = null;
        VarHandle delegate = null;
        MethodHandle standIn = null;
        VarHandle created = null;
        VarHandle bound = null;
        VarHandle closed = null;
        MethodHandle close = null;
        MethodHandle getOption = null;
        String unavailable = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            nioImpl = Class.forName("sun.nio.ch.NioSocketImpl");
            MethodHandles.Lookup nio = MethodHandles.privateLookupIn(nioImpl, lookup);
            server = nio.findVarHandle(nioImpl, "server", boolean.class);
            readerThread = nio.findVarHandle(nioImpl, "readerThread", long.class);
            MethodHandles.Lookup impl = MethodHandles.privateLookupIn(SocketImpl.class, lookup);
            fd = impl.findVarHandle(SocketImpl.class, "fd", FileDescriptor.class);
            fdInt = MethodHandles.privateLookupIn(FileDescriptor.class, lookup)
                    .findVarHandle(FileDescriptor.class, "fd", int.class);
            address = impl.findVarHandle(SocketImpl.class, "address", InetAddress.class);
            port = impl.findVarHandle(SocketImpl.class, "port", int.class);
            localPort = impl.findVarHandle(SocketImpl.class, "localport", int.class);
            close = impl.findVirtual(SocketImpl.class, "close", MethodType.methodType(void.class));
            getOption = impl.findVirtual(SocketImpl.class, "getOption",
                    MethodType.methodType(Object.class, SocketOption.class));
            socketImpl = MethodHandles.privateLookupIn(Socket.class, lookup)
                    .findVarHandle(Socket.class, "impl", SocketImpl.class);
            MethodHandles.Lookup serverSocket = MethodHandles.privateLookupIn(ServerSocket.class, lookup);
            serverSocketImpl = serverSocket.findVarHandle(ServerSocket.class, "impl", SocketImpl.class);
            standIn = serverSocket.findConstructor(ServerSocket.class,
                    MethodType.methodType(void.class, SocketImpl.class));
            created = serverSocket.findVarHandle(ServerSocket.class, "created", boolean.class);
            bound = serverSocket.findVarHandle(ServerSocket.class, "bound", boolean.class);
            closed = serverSocket.findVarHandle(ServerSocket.class, "closed", boolean.class);
            delegating = Class.forName("java.net.DelegatingSocketImpl");
            delegate = MethodHandles.privateLookupIn(delegating, lookup)
                    .findVarHandle(delegating, "delegate", SocketImpl.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = "the JDK's NioSocketImpl is not readable on this JDK: " + e;
        }
        NIO_IMPL = nioImpl;
        SERVER = server;
        READER_THREAD = readerThread;
        FD = fd;
        FD_INT = fdInt;
        ADDRESS = address;
        PORT = port;
        LOCAL_PORT = localPort;
        SOCKET_IMPL = socketImpl;
        SERVER_SOCKET_IMPL = serverSocketImpl;
        DELEGATING = delegating;
        DELEGATE = delegate;
        STAND_IN = standIn;
        STAND_IN_CREATED = created;
        STAND_IN_BOUND = bound;
        SERVER_SOCKET_CLOSED = closed;
        CLOSE = close;
        GET_OPTION = getOption;
        UNAVAILABLE = unavailable;
    }

    private SocketImpls() {
    }

    /** Whether {@code o} is a NioSocketImpl (false when unavailable). */
    public static boolean isNioImpl(Object o) {
        return UNAVAILABLE == null && NIO_IMPL.isInstance(o);
    }

    /** Whether a NioSocketImpl is a listener's (created by a ServerSocket) rather than a connection's. */
    public static boolean isServer(Object impl) {
        return (boolean) SERVER.get(impl);
    }

    /**
     * The native id of the thread inside accept or read on it: 0 if none, -1 a virtual thread (JDK 21+).
     * Racy by design: a snapshot the JDK itself guards with a lock hotbind does not take.
     */
    public static long readerThread(Object impl) {
        return (long) READER_THREAD.getOpaque(impl);
    }

    /** The descriptor number, or -1 once closed. */
    public static int fd(Object impl) {
        FileDescriptor fd = (FileDescriptor) FD.getVolatile(impl);
        return fd == null ? -1 : (int) FD_INT.getVolatile(fd);
    }

    public static int localPort(Object impl) {
        return (int) LOCAL_PORT.getVolatile(impl);
    }

    /** The peer of a connection's impl, or null. */
    public static InetSocketAddress remote(Object impl) {
        InetAddress address = (InetAddress) ADDRESS.getVolatile(impl);
        return address == null ? null : new InetSocketAddress(address, (int) PORT.getVolatile(impl));
    }

    /** The platform impl behind a Socket or ServerSocket, unwrapping the JDK's delegating wrappers; or null. */
    public static Object implOf(Object socket) {
        if (UNAVAILABLE != null) {
            return null;
        }
        Object impl = socket instanceof ServerSocket ? SERVER_SOCKET_IMPL.get(socket)
                : socket instanceof Socket ? SOCKET_IMPL.get(socket) : null;
        return DELEGATING.isInstance(impl) ? DELEGATE.get(impl) : impl;
    }

    /**
     * A ServerSocket of hotbind's own around a listening impl, bound as the application's is: its
     * methods act on the very socket the application accepts on. The application never sees it.
     */
    public static ServerSocket standIn(Object impl) {
        try {
            ServerSocket socket = (ServerSocket) STAND_IN.invoke((SocketImpl) impl);
            STAND_IN_CREATED.setVolatile(socket, true);
            STAND_IN_BOUND.setVolatile(socket, true);
            return socket;
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Marks the application's ServerSocket closed after hotbind closed its impl through a stand-in:
     * its own {@code isClosed()} then says so, as if its close() had run, and its accept loop ends.
     */
    public static void markClosed(ServerSocket socket) {
        SERVER_SOCKET_CLOSED.setVolatile(socket, true);
    }

    /** Closes a connection's impl, as the owning Socket's close() would (which stays idempotent). */
    public static void close(Object impl) throws IOException {
        try {
            CLOSE.invoke((SocketImpl) impl);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
    }

    /** An option's current value, or null when closed or unsupported. */
    @SuppressWarnings("unchecked")
    public static <T> T option(Object impl, SocketOption<T> name) {
        try {
            return (T) GET_OPTION.invoke((SocketImpl) impl, (SocketOption<?>) name);
        } catch (Throwable closedOrUnsupported) {
            return null;
        }
    }
}
