package dev.hotbind.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.ServerSocket;
import java.net.SocketImpl;

/**
 * A {@code ServerSocket}'s own state ({@code created}, {@code bound}, {@code closed}) and its protected
 * constructor around a given {@code SocketImpl}: what a stand-in for a listener found without its
 * ServerSocket needs.
 */
final class ServerSockets {
    private static final MethodHandle AROUND;
    private static final VarHandle CREATED;
    private static final VarHandle BOUND;
    private static final VarHandle CLOSED;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("ServerSocket");
        AROUND = r.constructor(ServerSocket.class, SocketImpl.class);
        CREATED = r.field(ServerSocket.class, "created", boolean.class);
        BOUND = r.field(ServerSocket.class, "bound", boolean.class);
        CLOSED = r.field(ServerSocket.class, "closed", boolean.class);
        AVAILABILITY = r.availability();
    }

    private ServerSockets() {
    }

    /** A ServerSocket around {@code impl} that believes itself created and bound, as the impl is. */
    static ServerSocket bound(SocketImpl impl) throws Throwable {
        ServerSocket socket = (ServerSocket) AROUND.invoke(impl);
        CREATED.setVolatile(socket, true);
        BOUND.setVolatile(socket, true);
        return socket;
    }

    static void closed(ServerSocket socket) {
        CLOSED.setVolatile(socket, true);
    }
}
