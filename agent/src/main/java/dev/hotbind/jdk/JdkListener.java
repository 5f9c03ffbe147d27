package dev.hotbind.jdk;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.spi.AbstractSelectableChannel;

/**
 * The application's listening object as a swap sees it: a {@code ServerSocketChannelImpl}, or a
 * {@code ServerSocket} whose implementation is the JDK's {@code NioSocketImpl}. The methods marked
 * "under the state lock" read or change fields the JDK itself guards with that monitor.
 */
public final class JdkListener {
    private static final Availability SWAP = Availability.all(Descriptors.availability(),
            ServerSocketChannels.AVAILABILITY, NioSocketImpls.AVAILABILITY, SelectionKeys.AVAILABILITY);

    private final Object server;
    /** The NioSocketImpl of a ServerSocket; null for a channel. */
    private final SocketImpl impl;

    private JdkListener(Object server, SocketImpl impl) {
        this.server = server;
        this.impl = impl;
    }

    /** Whether a listener's descriptor can be swapped in this JVM, and if not why. */
    public static Availability swapAvailability() {
        return SWAP;
    }

    /** @throws IllegalStateException naming why this object cannot be swapped */
    public static JdkListener of(Object server) {
        if (!SWAP.available()) {
            throw new IllegalStateException("rebind is unavailable: " + SWAP.reason() + "; auditing keeps working");
        }
        if (ServerSocketChannels.is(server)) {
            return new JdkListener(server, null);
        }
        if (server instanceof ServerSocket) {
            SocketImpl impl = SocketImpls.of((ServerSocket) server);
            if (NioSocketImpls.is(impl)) {
                return new JdkListener(server, impl);
            }
            throw new IllegalStateException("this ServerSocket uses a custom SocketImpl ("
                    + (impl == null ? "none" : impl.getClass().getName())
                    + "), whose descriptor hotbind cannot swap; auditing keeps working");
        }
        throw new IllegalStateException("cannot swap a " + server.getClass().getName()
                + " (only the JDK's ServerSocket and ServerSocketChannel)");
    }

    /**
     * The address a ServerSocketChannel was bound to, kept by the JDK after its close (when its public
     * {@code getLocalAddress} only throws); null if not a channel or unreadable.
     */
    public static SocketAddress channelBoundAddress(Object server) {
        return ServerSocketChannels.is(server) && ServerSocketChannels.AVAILABILITY.available()
                ? ServerSocketChannels.localAddress(server) : null;
    }

    /** The descriptor number of a ServerSocket or ServerSocketChannel, or -1. Off the accept path. */
    public static int fdOf(Object server) {
        if (ServerSocketChannels.is(server)) {
            return ServerSocketChannels.AVAILABILITY.available() ? ServerSocketChannels.fd(server) : -1;
        }
        if (server instanceof ServerSocket && SocketImpls.AVAILABILITY.available()) {
            return SocketImpls.fd(SocketImpls.of((ServerSocket) server));
        }
        return -1;
    }

    public Object server() {
        return server;
    }

    public boolean isOpen() {
        return impl == null ? ((ServerSocketChannel) server).isOpen() : !((ServerSocket) server).isClosed();
    }

    /** The family new sockets must have to stand in for this one (a channel may be IPv4-only). */
    public ProtocolFamily family() {
        return impl == null ? ServerSocketChannels.family(server) : null;
    }

    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) (impl == null ? ((NetworkChannel) server).getLocalAddress()
                : ((ServerSocket) server).getLocalSocketAddress());
    }

    public <T> T option(SocketOption<T> name) throws IOException {
        return impl == null ? ((NetworkChannel) server).getOption(name) : ((ServerSocket) server).getOption(name);
    }

    public <T> void option(SocketOption<T> name, T value) throws IOException {
        if (impl == null) {
            ((NetworkChannel) server).setOption(name, value);
        } else {
            ((ServerSocket) server).setOption(name, value);
        }
    }

    public Object stateLock() {
        return impl == null ? ServerSocketChannels.stateLock(server) : NioSocketImpls.stateLock(impl);
    }

    /**
     * Held around a swap and its re-arm, outside the state lock: a channel's key lock, which its
     * {@code register} holds (nothing the JDK does under it takes the state lock); a ServerSocket has
     * no selection keys and a lock of its own.
     */
    public Object registrationLock() {
        return impl == null ? SelectionKeys.registrationLock((AbstractSelectableChannel) server) : this;
    }

    /** Under the state lock. */
    public int fd() {
        return impl == null ? ServerSocketChannels.fd(server) : SocketImpls.fd(impl);
    }

    /**
     * Under the state lock: whether the descriptor is in non-blocking mode now, read from the kernel.
     * The JDK's own flags ({@code blocking} of a channel, {@code nonBlocking} of a NioSocketImpl) are
     * set after the descriptor's mode and outside the state lock: a configureBlocking racing a swap
     * would give the new socket the old mode (a blocking socket under a selector's accept loop blocks
     * the selector thread).
     */
    public boolean nonBlockingFd() throws IOException {
        return Descriptors.nonBlocking(fd());
    }

    /** Under the state lock: the platform thread blocked in accept or poll on it, 0 if none. */
    public long nativeThread() {
        return impl == null ? ServerSocketChannels.thread(server) : NioSocketImpls.readerThread(impl);
    }

    /**
     * Under the state lock: makes the object report its new address the way its own bind would have
     * cached it (a channel the socket's actual address, a ServerSocket the host it was asked for).
     */
    public void cacheLocalAddress(InetSocketAddress requested, InetSocketAddress actual) {
        if (impl == null) {
            ServerSocketChannels.localAddress(server, actual);
        } else {
            NioSocketImpls.address(impl, requested.getAddress());
            NioSocketImpls.localPort(impl, actual.getPort());
        }
    }

    /** Re-registers a non-blocking channel's selection keys for the new socket; answers how many. */
    public int rearmSelectionKeys() throws IOException {
        return impl == null ? SelectionKeys.rearm((AbstractSelectableChannel) server) : 0;
    }
}
