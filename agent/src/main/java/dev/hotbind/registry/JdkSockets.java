package dev.hotbind.registry;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;

/**
 * Reads the file descriptor number of the JDK's socket objects, which keys the connection table.
 * Needs {@code java.net}, {@code java.io} and {@code sun.nio.ch} opened to this module; the agent
 * opens them at start-up, tests on the command line. Without them every lookup answers -1 and
 * connections are simply not tracked.
 */
final class JdkSockets {
    private static final VarHandle SOCKET_IMPL;
    private static final VarHandle DELEGATE;
    private static final Class<?> DELEGATING_IMPL;
    private static final VarHandle IMPL_FD;
    private static final VarHandle FD_INT;
    private static final VarHandle CHANNEL_FD;
    private static final VarHandle CHANNEL_LOCAL;
    private static final VarHandle CHANNEL_REMOTE;
    private static final Class<?> CHANNEL_IMPL;
    private static final VarHandle SERVER_IMPL;
    private static final VarHandle SERVER_CHANNEL_FD;
    private static final Class<?> SERVER_CHANNEL_IMPL;
    static final String UNAVAILABLE;

    static {
        VarHandle socketImpl = null;
        VarHandle delegate = null;
        Class<?> delegating = null;
        VarHandle implFd = null;
        VarHandle fdInt = null;
        VarHandle channelFd = null;
        VarHandle channelLocal = null;
        VarHandle channelRemote = null;
        Class<?> channelImpl = null;
        VarHandle serverImpl = null;
        VarHandle serverChannelFd = null;
        Class<?> serverChannelImpl = null;
        String unavailable = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            socketImpl = MethodHandles.privateLookupIn(Socket.class, lookup)
                    .findVarHandle(Socket.class, "impl", SocketImpl.class);
            delegating = Class.forName("java.net.DelegatingSocketImpl");
            delegate = MethodHandles.privateLookupIn(delegating, lookup)
                    .findVarHandle(delegating, "delegate", SocketImpl.class);
            implFd = MethodHandles.privateLookupIn(SocketImpl.class, lookup)
                    .findVarHandle(SocketImpl.class, "fd", FileDescriptor.class);
            fdInt = MethodHandles.privateLookupIn(FileDescriptor.class, lookup)
                    .findVarHandle(FileDescriptor.class, "fd", int.class);
            channelImpl = Class.forName("sun.nio.ch.SocketChannelImpl");
            MethodHandles.Lookup channelLookup = MethodHandles.privateLookupIn(channelImpl, lookup);
            channelFd = channelLookup.findVarHandle(channelImpl, "fdVal", int.class);
            channelLocal = channelLookup.findVarHandle(channelImpl, "localAddress", SocketAddress.class);
            channelRemote = channelLookup.findVarHandle(channelImpl, "remoteAddress", SocketAddress.class);
            serverImpl = MethodHandles.privateLookupIn(ServerSocket.class, lookup)
                    .findVarHandle(ServerSocket.class, "impl", SocketImpl.class);
            serverChannelImpl = Class.forName("sun.nio.ch.ServerSocketChannelImpl");
            serverChannelFd = MethodHandles.privateLookupIn(serverChannelImpl, lookup)
                    .findVarHandle(serverChannelImpl, "fdVal", int.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = e.toString();
        }
        SOCKET_IMPL = socketImpl;
        DELEGATE = delegate;
        DELEGATING_IMPL = delegating;
        IMPL_FD = implFd;
        FD_INT = fdInt;
        CHANNEL_FD = channelFd;
        CHANNEL_LOCAL = channelLocal;
        CHANNEL_REMOTE = channelRemote;
        CHANNEL_IMPL = channelImpl;
        SERVER_IMPL = serverImpl;
        SERVER_CHANNEL_FD = serverChannelFd;
        SERVER_CHANNEL_IMPL = serverChannelImpl;
        UNAVAILABLE = unavailable;
    }

    private JdkSockets() {
    }

    /** The descriptor number of an accepted Socket or SocketChannel, or -1 if it has none or is closed. */
    static int fdOf(Object connection) {
        if (UNAVAILABLE != null) {
            return -1;
        }
        if (CHANNEL_IMPL.isInstance(connection)) {
            return (int) CHANNEL_FD.get(connection);
        }
        if (connection instanceof Socket) {
            return fdOfImpl(SOCKET_IMPL.get((Socket) connection));
        }
        return -1;
    }

    /** A socket's current value of an option, or null when it is closed, collected or lacks the option. */
    static <T> T option(Object socket, SocketOption<T> name) {
        try {
            if (socket instanceof ServerSocket) {
                return ((ServerSocket) socket).getOption(name);
            }
            if (socket instanceof Socket) {
                return ((Socket) socket).getOption(name);
            }
            if (socket instanceof NetworkChannel) {
                return ((NetworkChannel) socket).getOption(name);
            }
        } catch (Exception | Error unsupportedOrClosed) {
            return null;
        }
        return null;
    }

    /** The descriptor number of a ServerSocket or ServerSocketChannel, or -1. Off the accept path. */
    static int listenerFdOf(Object server) {
        if (UNAVAILABLE != null) {
            return -1;
        }
        if (SERVER_CHANNEL_IMPL.isInstance(server)) {
            return (int) SERVER_CHANNEL_FD.get(server);
        }
        if (server instanceof ServerSocket) {
            return fdOfImpl(SERVER_IMPL.get((ServerSocket) server));
        }
        return -1;
    }

    private static int fdOfImpl(Object impl) {
        if (DELEGATING_IMPL.isInstance(impl)) {
            impl = DELEGATE.get(impl);
        }
        if (impl == null) {
            return -1;
        }
        FileDescriptor fd = (FileDescriptor) IMPL_FD.get((SocketImpl) impl);
        return fd == null ? -1 : (int) FD_INT.get(fd);
    }

    /** The local address of an accepted SocketChannel, open or closed; null if not one. */
    static SocketAddress channelLocalAddress(Object channel) {
        return UNAVAILABLE == null && CHANNEL_IMPL.isInstance(channel)
                ? (SocketAddress) CHANNEL_LOCAL.getVolatile(channel) : null;
    }

    /** The peer of an accepted SocketChannel, open or closed; null if not one. */
    static SocketAddress channelRemoteAddress(Object channel) {
        return UNAVAILABLE == null && CHANNEL_IMPL.isInstance(channel)
                ? (SocketAddress) CHANNEL_REMOTE.getVolatile(channel) : null;
    }

    static String kindOf(Object server) {
        return server instanceof ServerSocketChannel ? "ServerSocketChannel" : "ServerSocket";
    }

    /** The bound address of a listener, or null if it is unbound, closed or not an IP socket. */
    static InetSocketAddress localAddressOf(Object server) {
        try {
            SocketAddress address = server instanceof ServerSocket
                    ? ((ServerSocket) server).getLocalSocketAddress()
                    : ((NetworkChannel) server).getLocalAddress();
            return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
        } catch (Exception e) {
            return null;
        }
    }
}
