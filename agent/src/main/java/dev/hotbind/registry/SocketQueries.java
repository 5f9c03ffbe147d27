package dev.hotbind.registry;

import dev.hotbind.jdk.JdkListener;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketOption;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;

/** Reads of a socket through its public API that never throw: for views of sockets that may be closed. */
final class SocketQueries {
    private SocketQueries() {
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

    /**
     * The address a listener closed before hotbind saw it was bound to: a closed ServerSocket still
     * answers; a closed channel only through the JDK's own field.
     */
    static InetSocketAddress boundAddressOfClosed(Object server) {
        SocketAddress address = server instanceof ServerSocket ? localAddressOf(server)
                : JdkListener.channelBoundAddress(server);
        return address instanceof InetSocketAddress ? (InetSocketAddress) address : null;
    }

    static boolean isClosed(Object server) {
        return server instanceof ServerSocket ? ((ServerSocket) server).isClosed()
                : !((ServerSocketChannel) server).isOpen();
    }
}
