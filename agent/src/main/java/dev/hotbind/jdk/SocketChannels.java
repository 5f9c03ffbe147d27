package dev.hotbind.jdk;

import java.lang.invoke.VarHandle;
import java.net.SocketAddress;

/** {@code sun.nio.ch.SocketChannelImpl}, an accepted channel: its descriptor and cached addresses. */
final class SocketChannels {
    private static final Class<?> TYPE;
    private static final VarHandle FD;
    private static final VarHandle LOCAL_ADDRESS;
    private static final VarHandle REMOTE_ADDRESS;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("SocketChannelImpl");
        TYPE = r.type("sun.nio.ch.SocketChannelImpl");
        FD = r.field(TYPE, "fdVal", int.class);
        LOCAL_ADDRESS = r.field(TYPE, "localAddress", SocketAddress.class);
        REMOTE_ADDRESS = r.field(TYPE, "remoteAddress", SocketAddress.class);
        AVAILABILITY = r.availability();
    }

    private SocketChannels() {
    }

    static boolean is(Object connection) {
        return TYPE != null && TYPE.isInstance(connection);
    }

    static int fd(Object channel) {
        return (int) FD.get(channel);
    }

    /** Read as the JDK writes it, under its state lock: a volatile read sees the latest. */
    static SocketAddress localAddress(Object channel) {
        return (SocketAddress) LOCAL_ADDRESS.getVolatile(channel);
    }

    static SocketAddress remoteAddress(Object channel) {
        return (SocketAddress) REMOTE_ADDRESS.getVolatile(channel);
    }

    static void addresses(Object channel, SocketAddress local, SocketAddress remote) {
        LOCAL_ADDRESS.setVolatile(channel, local);
        REMOTE_ADDRESS.setVolatile(channel, remote);
    }
}
