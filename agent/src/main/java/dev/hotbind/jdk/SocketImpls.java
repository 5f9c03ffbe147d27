package dev.hotbind.jdk;

import java.io.FileDescriptor;
import java.lang.invoke.VarHandle;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;

/**
 * {@code Socket.impl}, {@code ServerSocket.impl}, {@code SocketImpl.fd} and the delegate of a
 * {@code DelegatingSocketImpl} (the SOCKS or HTTP-proxy wrapper a {@code new Socket()} gets): how a
 * socket object reaches its descriptor.
 */
final class SocketImpls {
    private static final VarHandle SOCKET_IMPL;
    private static final VarHandle SERVER_IMPL;
    private static final Class<?> DELEGATING;
    private static final VarHandle DELEGATE;
    private static final VarHandle IMPL_FD;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("socket implementations");
        SOCKET_IMPL = r.field(Socket.class, "impl", SocketImpl.class);
        SERVER_IMPL = r.field(ServerSocket.class, "impl", SocketImpl.class);
        DELEGATING = r.type("java.net.DelegatingSocketImpl");
        DELEGATE = r.field(DELEGATING, "delegate", SocketImpl.class);
        IMPL_FD = r.field(SocketImpl.class, "fd", FileDescriptor.class);
        AVAILABILITY = Availability.all(FileDescriptors.AVAILABILITY, r.availability());
    }

    private SocketImpls() {
    }

    /** The implementation doing the work: the delegate of a wrapper, else the socket's own; may be null. */
    static SocketImpl of(Socket socket) {
        return unwrapped((SocketImpl) SOCKET_IMPL.get(socket));
    }

    static SocketImpl of(ServerSocket socket) {
        return unwrapped((SocketImpl) SERVER_IMPL.get(socket));
    }

    /** The descriptor number of an implementation, -1 without one or when closed. */
    static int fd(SocketImpl impl) {
        return impl == null ? -1 : FileDescriptors.number((FileDescriptor) IMPL_FD.get(impl));
    }

    private static SocketImpl unwrapped(SocketImpl impl) {
        return DELEGATING.isInstance(impl) ? (SocketImpl) DELEGATE.get(impl) : impl;
    }
}
