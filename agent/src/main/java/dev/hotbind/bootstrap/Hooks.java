package dev.hotbind.bootstrap;

import java.net.SocketAddress;
import java.util.concurrent.Callable;

/**
 * The static entry points that advice inlined into {@code java.base} calls. This class is appended to
 * the bootstrap class path before anything else of the agent is loaded, so the JDK's own classes can
 * link against it. It forwards to the installed {@link SocketEvents} and never lets a failure of the
 * agent reach the application.
 */
public final class Hooks {

    private static volatile SocketEvents events;
    private static volatile boolean failureReported;
    /** Set while the current thread does hotbind's own socket work; unset (null) for every other thread. */
    private static final ThreadLocal<Boolean> INTERNAL = new ThreadLocal<>();

    private Hooks() {
    }

    public static void install(SocketEvents installed) {
        events = installed;
    }

    public static boolean isInstalled() {
        return events != null;
    }

    /** Runs hotbind's own socket work (a rebind's temporary socket) so that it is not registered. */
    public static <T> T internally(Callable<T> work) throws Exception {
        INTERNAL.set(Boolean.TRUE);
        try {
            return work.call();
        } finally {
            INTERNAL.remove();
        }
    }

    /** Whether the current thread is inside {@link #internally}. */
    public static boolean isInternal() {
        return INTERNAL.get() != null;
    }

    /** The address the bind is to use: {@code requested} unless the agent substitutes one (never null for non-null). */
    public static SocketAddress binding(Object server, SocketAddress requested) {
        SocketEvents e = events;
        if (e == null) {
            return requested;
        }
        try {
            SocketAddress address = e.binding(server, requested);
            return address == null ? requested : address;
        } catch (Throwable t) {
            failed(t);
            return requested;
        }
    }

    /** See {@link SocketEvents#bindFailed}; null (the failure goes through) when anything goes wrong here. */
    public static Object bindFailed(Object retry, Object server, Object endpoint, Throwable failure) {
        SocketEvents e = events;
        if (e == null) {
            return null;
        }
        try {
            return e.bindFailed(retry, server, endpoint, failure);
        } catch (Throwable t) {
            failed(t);
            return null;
        }
    }

    public static void retriedBindSucceeded(Object retry) {
        SocketEvents e = events;
        if (e == null) {
            return;
        }
        try {
            e.retriedBindSucceeded(retry);
        } catch (Throwable t) {
            failed(t);
        }
    }

    public static void bound(Object server, int backlog) {
        SocketEvents e = events;
        if (e == null) {
            return;
        }
        try {
            e.bound(server, backlog);
        } catch (Throwable t) {
            failed(t);
        }
    }

    public static Object acceptEnter(Object server) {
        SocketEvents e = events;
        if (e == null) {
            return null;
        }
        try {
            return e.acceptEnter(server);
        } catch (Throwable t) {
            failed(t);
            return null;
        }
    }

    public static void acceptExit(Object token, Object server, Object accepted, Throwable failure) {
        SocketEvents e = events;
        if (e == null) {
            return;
        }
        try {
            e.acceptExit(token, server, accepted, failure);
        } catch (Throwable t) {
            failed(t);
        }
    }

    public static void acceptOnClosed(Object server) {
        SocketEvents e = events;
        if (e == null) {
            return;
        }
        try {
            e.acceptOnClosed(server);
        } catch (Throwable t) {
            failed(t);
        }
    }

    public static void serverClosing(Object server) {
        SocketEvents e = events;
        if (e == null) {
            return;
        }
        try {
            e.serverClosing(server);
        } catch (Throwable t) {
            failed(t);
        }
    }

    public static void connectionClosing(Object connection) {
        SocketEvents e = events;
        if (e == null) {
            return;
        }
        try {
            e.connectionClosing(connection);
        } catch (Throwable t) {
            failed(t);
        }
    }

    public static void childStarting(ProcessBuilder builder) {
        SocketEvents e = events;
        if (e == null) {
            return;
        }
        try {
            e.childStarting(builder);
        } catch (Throwable t) {
            failed(t);
        }
    }

    /** One line on stderr for the first failure; later ones are dropped so a broken agent stays quiet. */
    private static void failed(Throwable t) {
        if (!failureReported) {
            failureReported = true;
            System.err.println("hotbind: internal error, ignored (the application is unaffected): " + t);
        }
    }
}
