package dev.hotbind.jdk;

import java.lang.invoke.VarHandle;
import java.net.ProtocolFamily;
import java.net.SocketAddress;

/**
 * {@code sun.nio.ch.ServerSocketChannelImpl}: its descriptor, state lock, the native thread blocked in
 * its accept, its cached local address and protocol family, and (JDK 21 on) whether a blocking channel
 * runs its descriptor non-blocking for a virtual thread.
 */
final class ServerSocketChannels {
    private static final Class<?> TYPE;
    private static final VarHandle FD;
    private static final VarHandle STATE_LOCK;
    private static final VarHandle THREAD;
    private static final VarHandle LOCAL_ADDRESS;
    private static final VarHandle FAMILY;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("ServerSocketChannelImpl");
        TYPE = r.type("sun.nio.ch.ServerSocketChannelImpl");
        FD = r.field(TYPE, "fdVal", int.class);
        STATE_LOCK = r.field(TYPE, "stateLock", Object.class);
        THREAD = r.field(TYPE, "thread", long.class);
        LOCAL_ADDRESS = r.field(TYPE, "localAddress", SocketAddress.class);
        FAMILY = r.field(TYPE, "family", ProtocolFamily.class);
        AVAILABILITY = r.availability();
    }

    private ServerSocketChannels() {
    }

    static boolean is(Object server) {
        return TYPE != null && TYPE.isInstance(server);
    }

    static int fd(Object channel) {
        return (int) FD.get(channel);
    }

    static Object stateLock(Object channel) {
        return STATE_LOCK.get(channel);
    }

    static long thread(Object channel) {
        return (long) THREAD.get(channel);
    }

    static SocketAddress localAddress(Object channel) {
        return (SocketAddress) LOCAL_ADDRESS.getVolatile(channel);
    }

    static void localAddress(Object channel, SocketAddress address) {
        LOCAL_ADDRESS.set(channel, address);
    }

    static ProtocolFamily family(Object channel) {
        return (ProtocolFamily) FAMILY.get(channel);
    }
}
