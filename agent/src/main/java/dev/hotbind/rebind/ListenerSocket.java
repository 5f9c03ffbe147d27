package dev.hotbind.rebind;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.AbstractSelectableChannel;

/**
 * The application's listening object as a swap sees it: a {@code ServerSocketChannelImpl}, or a
 * {@code ServerSocket} whose implementation is the JDK's {@code NioSocketImpl}. The methods marked
 * "under the state lock" read or change fields the JDK itself guards with that monitor.
 */
final class ListenerSocket {
    private final Object server;
    /** The NioSocketImpl of a ServerSocket; null for a channel. */
    private final Object impl;

    private ListenerSocket(Object server, Object impl) {
        this.server = server;
        this.impl = impl;
    }

    /** @throws IllegalStateException naming why this object cannot be swapped */
    static ListenerSocket of(Object server) {
        if (JdkInternals.UNAVAILABLE != null) {
            throw new IllegalStateException(JdkInternals.UNAVAILABLE);
        }
        if (JdkInternals.CHANNEL_IMPL.isInstance(server)) {
            return new ListenerSocket(server, null);
        }
        if (server instanceof ServerSocket) {
            Object impl = JdkInternals.socketImpl((ServerSocket) server);
            if (JdkInternals.SOCKET_IMPL.isInstance(impl)) {
                return new ListenerSocket(server, impl);
            }
            throw new IllegalStateException("this ServerSocket uses a custom SocketImpl ("
                    + (impl == null ? "none" : impl.getClass().getName())
                    + "), whose descriptor hotbind cannot swap; auditing keeps working");
        }
        throw new IllegalStateException("cannot swap a " + server.getClass().getName()
                + " (only the JDK's ServerSocket and ServerSocketChannel)");
    }

    Object server() {
        return server;
    }

    boolean isOpen() {
        return impl == null ? ((ServerSocketChannel) server).isOpen() : !((ServerSocket) server).isClosed();
    }

    /** The family new sockets must have to stand in for this one (a channel may be IPv4-only). */
    ProtocolFamily family() {
        return impl == null ? JdkInternals.channelFamily(server) : null;
    }

    InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) (impl == null ? ((NetworkChannel) server).getLocalAddress()
                : ((ServerSocket) server).getLocalSocketAddress());
    }

    <T> T option(SocketOption<T> name) throws IOException {
        return impl == null ? ((NetworkChannel) server).getOption(name) : ((ServerSocket) server).getOption(name);
    }

    <T> void option(SocketOption<T> name, T value) throws IOException {
        if (impl == null) {
            ((NetworkChannel) server).setOption(name, value);
        } else {
            ((ServerSocket) server).setOption(name, value);
        }
    }

    Object stateLock() {
        return impl == null ? JdkInternals.channelStateLock(server) : JdkInternals.implStateLock(impl);
    }

    /** Under the state lock. */
    int fd() {
        return impl == null ? JdkInternals.channelFd(server) : JdkInternals.implFd(impl);
    }

    /** Under the state lock: whether the descriptor is in non-blocking mode now. */
    boolean nonBlockingFd() {
        if (impl != null) {
            return JdkInternals.implNonBlocking(impl);
        }
        return !((ServerSocketChannel) server).isBlocking() || JdkInternals.channelForcedNonBlocking(server);
    }

    /** Under the state lock: the platform thread blocked in accept or poll on it, 0 if none. */
    long nativeThread() {
        return impl == null ? JdkInternals.channelThread(server) : JdkInternals.implReaderThread(impl);
    }

    /**
     * Under the state lock: makes the object report its new address the way its own bind would have
     * cached it (a channel the socket's actual address, a ServerSocket the host it was asked for).
     */
    void cacheLocalAddress(InetSocketAddress requested, InetSocketAddress actual) {
        if (impl == null) {
            JdkInternals.channelLocalAddress(server, actual);
        } else {
            JdkInternals.implLocalAddress(impl, requested.getAddress(), actual.getPort());
        }
    }

    /** Re-registers a non-blocking channel's selection keys for the new socket; answers how many. */
    int rearmSelectionKeys() throws IOException {
        return impl == null ? JdkInternals.rearmKeys((AbstractSelectableChannel) server) : 0;
    }
}
