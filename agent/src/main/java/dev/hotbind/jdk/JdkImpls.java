package dev.hotbind.jdk;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketImpl;
import java.net.SocketOption;

/**
 * The JDK's {@code NioSocketImpl}s as the attach discovery finds them in the common cleaner's list:
 * without the {@code ServerSocket} or {@code Socket} that owns them, which the JDK does not link back
 * to. Reads their state, and stands a {@code ServerSocket} in front of a listening one so that the
 * operations, written for the application's objects, act on the same socket.
 */
public final class JdkImpls {
    private static final Availability AVAILABILITY =
            Availability.all(NioSocketImpls.AVAILABILITY, ServerSockets.AVAILABILITY);

    private JdkImpls() {
    }

    /** Whether implementations found without their sockets can be read here, and if not why. */
    public static Availability availability() {
        return AVAILABILITY;
    }

    /** Whether {@code o} is a NioSocketImpl (false when unavailable). */
    public static boolean isNio(Object o) {
        return AVAILABILITY.available() && o instanceof SocketImpl && NioSocketImpls.is((SocketImpl) o);
    }

    /** Whether a NioSocketImpl is a listener's (created by a ServerSocket) rather than a connection's. */
    public static boolean isServer(Object impl) {
        return NioSocketImpls.server((SocketImpl) impl);
    }

    /**
     * The native id of the thread inside accept or read on it: 0 if none, -1 a virtual thread (JDK 21+).
     * Racy by design: a snapshot the JDK itself guards with a lock hotbind does not take.
     */
    public static long readerThread(Object impl) {
        return NioSocketImpls.readerThread((SocketImpl) impl);
    }

    /**
     * The platform thread inside accept on a listener's impl: the owner of the lock accept holds while it
     * waits, provided a native thread is registered in it (so the owner is not just entering or leaving).
     * Null if none, or if the lock's owner cannot be read on this JVM ({@link #acceptingThreadAvailability()}).
     */
    public static Thread acceptingThread(Object impl) {
        SocketImpl si = (SocketImpl) impl;
        Thread owner = ReentrantLocks.owner(NioSocketImpls.readLock(si));
        return owner != null && NioSocketImpls.readerThread(si) > 0 ? owner : null;
    }

    public static Availability acceptingThreadAvailability() {
        return ReentrantLocks.AVAILABILITY;
    }

    /** The descriptor number, or -1 once closed. */
    public static int fd(Object impl) {
        return SocketImpls.fd((SocketImpl) impl);
    }

    public static int localPort(Object impl) {
        return NioSocketImpls.localPort((SocketImpl) impl);
    }

    /** The peer of a connection's impl, or null. */
    public static InetSocketAddress remote(Object impl) {
        InetAddress address = NioSocketImpls.address((SocketImpl) impl);
        return address == null ? null : new InetSocketAddress(address, NioSocketImpls.port((SocketImpl) impl));
    }

    /** The platform impl behind a Socket or ServerSocket, unwrapping the JDK's delegating wrappers; or null. */
    public static Object implOf(Object socket) {
        if (!AVAILABILITY.available()) {
            return null;
        }
        return socket instanceof ServerSocket ? SocketImpls.of((ServerSocket) socket)
                : socket instanceof Socket ? SocketImpls.of((Socket) socket) : null;
    }

    /**
     * A ServerSocket of hotbind's own around a listening impl, bound as the application's is: its
     * methods act on the very socket the application accepts on. The application never sees it.
     */
    public static ServerSocket standIn(Object impl) {
        try {
            return ServerSockets.bound((SocketImpl) impl);
        } catch (Throwable e) {
            return null;
        }
    }

    /**
     * Marks the application's ServerSocket closed after hotbind closed its impl through a stand-in:
     * its own {@code isClosed()} then says so, as if its close() had run, and its accept loop ends.
     */
    public static void markClosed(ServerSocket socket) {
        ServerSockets.closed(socket);
    }

    /** Closes a connection's impl, as the owning Socket's close() would (which stays idempotent). */
    public static void close(Object impl) throws IOException {
        try {
            SocketImpls.close((SocketImpl) impl);
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
            return (T) SocketImpls.option((SocketImpl) impl, name);
        } catch (Throwable closedOrUnsupported) {
            return null;
        }
    }
}
