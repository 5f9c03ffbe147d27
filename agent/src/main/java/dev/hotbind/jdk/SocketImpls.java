package dev.hotbind.jdk;

import java.io.FileDescriptor;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.SocketOption;

/**
 * {@code Socket.impl}, {@code ServerSocket.impl}, {@code SocketImpl.fd} and the delegate of a
 * {@code DelegatingSocketImpl} (the SOCKS or HTTP-proxy wrapper a {@code new Socket()} gets): how a
 * socket object reaches its descriptor; and {@code SocketImpl}'s protected {@code close} and
 * {@code getOption}, for an implementation the attach discovery found without its socket object.
 */
final class SocketImpls {
    private static final VarHandle SOCKET_IMPL;
    private static final VarHandle SERVER_IMPL;
    private static final Class<?> DELEGATING;
    private static final VarHandle DELEGATE;
    private static final VarHandle IMPL_FD;
    private static final MethodHandle CLOSE;
    private static final MethodHandle GET_OPTION;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("socket implementations");
        SOCKET_IMPL = r.field(Socket.class, "impl", SocketImpl.class);
        SERVER_IMPL = r.field(ServerSocket.class, "impl", SocketImpl.class);
        DELEGATING = r.type("java.net.DelegatingSocketImpl");
        DELEGATE = r.field(DELEGATING, "delegate", SocketImpl.class);
        IMPL_FD = r.field(SocketImpl.class, "fd", FileDescriptor.class);
        CLOSE = r.method(SocketImpl.class, "close", void.class);
        GET_OPTION = r.method(SocketImpl.class, "getOption", Object.class, SocketOption.class);
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

    /** Closes an implementation as its socket's close() would; the socket's own close() stays harmless. */
    static void close(SocketImpl impl) throws Throwable {
        CLOSE.invoke(impl);
    }

    static Object option(SocketImpl impl, SocketOption<?> name) throws Throwable {
        return GET_OPTION.invoke(impl, name);
    }

    private static SocketImpl unwrapped(SocketImpl impl) {
        return DELEGATING.isInstance(impl) ? (SocketImpl) DELEGATE.get(impl) : impl;
    }
}
