package dev.hotbind.jdk;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketImpl;

/**
 * An accepted connection as the JDK made it: a {@code SocketChannelImpl}, or a {@code Socket} whose
 * implementation (unwrapped from a proxy wrapper) is {@code NioSocketImpl}. Its descriptor number
 * keys the connection table on the accept path, so those reads are plain field reads.
 */
public final class JdkConnection {
    private static final boolean CHANNELS = SocketChannels.AVAILABILITY.available();
    private static final boolean SOCKETS = SocketImpls.AVAILABILITY.available();
    private static final boolean HANDOVER = NioSocketImpls.AVAILABILITY.available() && CHANNELS;

    /** The SocketChannelImpl; null for a Socket. */
    private final Object channel;
    /** The NioSocketImpl of a Socket; null for a channel. */
    private final SocketImpl impl;

    private JdkConnection(Object channel, SocketImpl impl) {
        this.channel = channel;
        this.impl = impl;
    }

    /** Whether connections are tracked by descriptor in this JVM, and if not why. */
    public static Availability availability() {
        return Availability.all(SocketChannels.AVAILABILITY, SocketImpls.AVAILABILITY);
    }

    /** The descriptor number of an accepted Socket or SocketChannel, or -1 if it has none; a closed one keeps its number. */
    public static int fdOf(Object connection) {
        if (CHANNELS && SocketChannels.is(connection)) {
            return SocketChannels.fd(connection);
        }
        if (SOCKETS && connection instanceof Socket) {
            return SocketImpls.fd(SocketImpls.of((Socket) connection));
        }
        return -1;
    }

    /** The local address of an accepted SocketChannel, open or closed; null if not one. */
    public static SocketAddress channelLocalAddress(Object channel) {
        return CHANNELS && SocketChannels.is(channel) ? SocketChannels.localAddress(channel) : null;
    }

    /** The peer of an accepted SocketChannel, open or closed; null if not one. */
    public static SocketAddress channelRemoteAddress(Object channel) {
        return CHANNELS && SocketChannels.is(channel) ? SocketChannels.remoteAddress(channel) : null;
    }

    /** The connection's fields a hand-over rewrites; null for anything but the JDK's own objects. */
    public static JdkConnection of(Object connection) {
        if (!HANDOVER) {
            return null;
        }
        if (SocketChannels.is(connection)) {
            return new JdkConnection(connection, null);
        }
        if (connection instanceof Socket) {
            SocketImpl impl = SocketImpls.of((Socket) connection);
            return NioSocketImpls.is(impl) ? new JdkConnection(null, impl) : null;
        }
        return null;
    }

    public int fd() {
        return channel != null ? SocketChannels.fd(channel) : SocketImpls.fd(impl);
    }

    public InetSocketAddress peer() {
        if (channel != null) {
            return (InetSocketAddress) SocketChannels.remoteAddress(channel);
        }
        InetAddress address = NioSocketImpls.address(impl);
        return address == null ? null : new InetSocketAddress(address, NioSocketImpls.port(impl));
    }

    /** Makes the object report the connection now under its descriptor. */
    public void addresses(InetSocketAddress local, InetSocketAddress peer) {
        if (channel != null) {
            SocketChannels.addresses(channel, local, peer);
        } else {
            NioSocketImpls.address(impl, peer.getAddress());
            NioSocketImpls.port(impl, peer.getPort());
            NioSocketImpls.localPort(impl, local.getPort());
        }
    }
}
