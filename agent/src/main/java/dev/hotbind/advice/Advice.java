package dev.hotbind.advice;

/**
 * The calls into {@code dev.hotbind.bootstrap.Hooks} that one JDK method gets (see {@link AdvisedMethod}
 * for the code). Each call is guarded: whatever it throws is dropped there, so nothing of hotbind's
 * reaches the application, even a failure to reach Hooks at all.
 */
enum Advice {
    /**
     * {@code ServerSocket.bind(SocketAddress, int)} and {@code ServerSocketChannelImpl.bind(SocketAddress, int)}.
     * On entry {@code Hooks.binding} may replace the address (a bind that an inherited socket will take
     * binds a stand-in, see {@code inherit}). On exit, with the arguments as the body began with them:
     * {@code retriedBindSucceeded} (after a retry) and {@code bound} on success; on failure
     * {@code bindFailed}, whose answer is a Throwable thrown instead, or a retry state kept in a local
     * for the call's whole life, on which the whole method body runs again (the entry call does not),
     * on the application's own thread, for the agent's {@code bindRetry}. Both JDK methods leave the
     * socket unbound and open when the bind fails, and hold no lock once they have thrown, so the next
     * attempt is the same call as the first.
     */
    BIND(true),
    /**
     * {@code ServerSocket.implAccept(Socket)}, which every accept of a ServerSocket and its subclasses
     * runs: {@code acceptEnter}'s token, then {@code acceptExit} with the socket or the throwable.
     */
    SOCKET_ACCEPT(true),
    /** {@code ServerSocketChannelImpl.accept()} and {@code blockingAccept(long)}: as above with the returned connection. */
    CHANNEL_ACCEPT(true),
    /**
     * {@code ServerSocket.accept()}, which throws "Socket is closed" before reaching {@code implAccept}:
     * {@code acceptOnClosed} when closed, without which a loop spinning on a closed ServerSocket would
     * be invisible to the audit.
     */
    CLOSED_ACCEPT(false),
    /** {@code ServerSocket.close()} and {@code ServerSocketChannelImpl.implCloseSelectableChannel()}: {@code serverClosing}. */
    SERVER_CLOSE(false),
    /**
     * {@code Socket.close()} and {@code SocketChannelImpl.implCloseSelectableChannel()}: {@code connectionClosing},
     * on entry, while the descriptor is still open: once closed, its number can be reused by another accept.
     */
    CONNECTION_CLOSE(false),
    /**
     * {@code ProcessBuilder.start(Redirect[])}, which every child process started through the JDK's API
     * ({@code ProcessBuilder.start}, {@code startPipeline}, {@code Runtime.exec}) goes through: {@code childStarting}.
     */
    CHILD_PROCESS(false);

    private final boolean exits;

    Advice(boolean exits) {
        this.exits = exits;
    }

    /** Whether code runs on the method's exit too, on return and on a throw. */
    boolean exits() {
        return exits;
    }
}
