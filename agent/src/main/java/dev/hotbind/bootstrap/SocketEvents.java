package dev.hotbind.bootstrap;

import java.net.SocketAddress;

/**
 * What the agent does when instrumented JDK code reports a socket event. Implemented by the agent's
 * registry, which lives in the application class loader; only this interface and {@link Hooks} need
 * to be visible from {@code java.base}.
 */
public interface SocketEvents {

    /**
     * A listener is about to bind {@code requested}: options that must precede the bind (SO_REUSEPORT)
     * are set now. Answers the address the bind is to use: {@code requested}, or a stand-in when an
     * inherited socket is to take the bind's place once it is done.
     */
    SocketAddress binding(Object server, SocketAddress requested);

    /**
     * A listener's bind failed with {@code failure}. {@code retry} is what this method answered at the
     * same bind call's previous failure (null at its first). Answers, possibly after waiting: an object
     * other than a Throwable to have the bind run again (it comes back as {@code retry}); a Throwable
     * for the bind to throw instead of {@code failure}; null to let {@code failure} through.
     */
    Object bindFailed(Object retry, Object server, Object endpoint, Throwable failure);

    /** A bind that {@link #bindFailed} had run again succeeded; {@link #bound} follows. */
    void retriedBindSucceeded(Object retry);

    /** A listener finished binding; {@code server} is a ServerSocket or a ServerSocketChannel. */
    void bound(Object server, int backlog);

    /** A thread enters accept; the returned token is handed back to {@link #acceptExit}. */
    Object acceptEnter(Object server);

    /** A thread leaves accept with {@code accepted} (null if none) or {@code failure}. */
    void acceptExit(Object token, Object server, Object accepted, Throwable failure);

    /** A thread calls accept on a ServerSocket already closed; the JDK refuses before accepting. */
    void acceptOnClosed(Object server);

    /** The application (or hotbind on its behalf) is closing a listener. */
    void serverClosing(Object server);

    /** A socket or socket channel is being closed; most are not ones a listener accepted. */
    void connectionClosing(Object connection);

    /** A child process is about to start from {@code builder}: what it must not inherit is taken from its environment. */
    void childStarting(ProcessBuilder builder);
}
