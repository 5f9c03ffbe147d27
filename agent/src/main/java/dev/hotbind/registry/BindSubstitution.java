package dev.hotbind.registry;

import java.net.SocketAddress;

/**
 * Lets hotbind put a socket it was given (an inherited one, see {@code inherit}) under the
 * application's listener in place of the one its bind would make. Both calls come on the
 * application's binding thread, one right before the JDK's bind and one right after it succeeded.
 */
public interface BindSubstitution {
    /** The address the application's bind is to use: {@code requested}, or a stand-in to be replaced. */
    SocketAddress binding(Object server, SocketAddress requested);

    /**
     * After the bind: when {@link #binding} chose a stand-in for {@code server}, swaps the given socket
     * in and answers which it is; otherwise null.
     */
    InheritedFrom bound(Object server);

    /** A child process is about to start: systemd's variables meant for this process are not passed on. */
    void childStarting(ProcessBuilder builder);
}
