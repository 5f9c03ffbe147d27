package dev.hotbind.drain;

import dev.hotbind.jdk.Signals;
import dev.hotbind.options.AgentOptions;
import dev.hotbind.options.Durations;
import dev.hotbind.registry.ConnectionRecord;
import dev.hotbind.registry.Registry;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code drainOnShutdown} and {@code drainDelay}: when the JVM is asked to exit, keep accepting for the
 * delay, then drain every listener, and let the exit go on once the connections they accepted are
 * closed or the drain's time is up.
 *
 * <p>On SIGTERM and SIGINT this runs before the JVM's own handler begins the exit, so before any
 * application shutdown hook: the application still serves while its in-flight requests finish, and
 * its hooks (which often close the listener, as Jetty's, Tomcat's and the demo's do) run afterwards.
 * Other exits ({@code System.exit}, the last thread ending, a JVM without those signal handlers) only
 * have hotbind's shutdown hook, which the JDK runs concurrently with the application's: there it
 * drains what is still bound and also waits for the open connections of listeners the application
 * closes meanwhile, since a close of the listener does not end the requests it accepted.
 */
public final class ShutdownDrain {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Registry registry;
    private final Drainer drainer;
    private volatile long timeoutMillis;
    private volatile long delayMillis;
    private boolean installed;
    /** When the exit was asked for, by a signal or the hook, whichever came first; 0 before. */
    private long exitNanos;

    public ShutdownDrain(Registry registry, Drainer drainer) {
        this.registry = registry;
        this.drainer = drainer;
    }

    /** Takes the options in effect; installs the signal handlers and the hook the first time they ask for a drain. */
    public synchronized void configure(AgentOptions options) {
        timeoutMillis = options.drainOnShutdownMillis();
        delayMillis = options.drainDelayMillis();
        if (timeoutMillis == 0 || installed) {
            return;
        }
        installed = true;
        Thread hook = new Thread(this::onShutdownHook, "hotbind-drain-on-shutdown");
        hook.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(hook);
        for (String signal : List.of("TERM", "INT")) {
            String refused = Signals.intercept(signal, s -> drainOnce("SIG" + s));
            // SIGINT is commonly ignored (a background job of a shell): not worth a line then
            if (refused != null && signal.equals("TERM")) {
                System.err.println("hotbind: " + refused + "; on SIG" + signal + " the drain runs alongside the "
                        + "application's shutdown hooks");
            }
        }
    }

    private void onShutdownHook() {
        drainOnce("exit");
        long left = deadlineNanos() - System.nanoTime();
        if (left > 0) {
            awaitConnections(left);
        }
    }

    /**
     * The exit's drain, once per JVM: a signal runs it before the shutdown hooks start, the hook when the
     * exit came another way; a second signal meanwhile lets the exit go on at once.
     */
    private void drainOnce(String cause) {
        long timeout = timeoutMillis;
        long delay = delayMillis;
        synchronized (this) {
            if (exitNanos != 0) {
                return;
            }
            exitNanos = System.nanoTime();
        }
        try {
            if (delay > 0) {
                System.err.println("hotbind: JVM exiting (" + cause + "); accepting for " + Durations.format(delay)
                        + " more before the drain (drainDelay)");
                sleep(TimeUnit.MILLISECONDS.toNanos(delay));
            }
            System.err.println("hotbind: JVM exiting; draining every listener for at most "
                    + Durations.format(timeout) + " (drainOnShutdown)");
            for (String line : drainer.drainAll(timeout).summary()) {
                System.err.println("hotbind: " + line);
            }
        } catch (Throwable t) {
            System.err.println("hotbind: drain on shutdown failed, the JVM exits now: " + t);
        }
    }

    /** The end of the delay and the drain, counted from the exit request. */
    private synchronized long deadlineNanos() {
        long start = exitNanos == 0 ? System.nanoTime() : exitNanos;
        return start + TimeUnit.MILLISECONDS.toNanos(delayMillis + timeoutMillis);
    }

    /**
     * Waits for the connections still open, except those of the JDK's own JMX listener, whoever closed
     * their listener: the application's hooks may close it while its requests are still being answered.
     */
    private void awaitConnections(long maxNanos) {
        long deadline = System.nanoTime() + maxNanos;
        int open = openConnections();
        if (open == 0) {
            return;
        }
        System.err.println("hotbind: waiting for " + open + " open connection(s) whose listener the application"
                + " closed, for at most " + Durations.format(TimeUnit.NANOSECONDS.toMillis(maxNanos)));
        long left;
        while ((open = openConnections()) > 0 && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, Math.min(POLL_NANOS, left));
        }
        System.err.println("hotbind: " + (open == 0 ? "every connection closed; the JVM exits"
                : open + " connection(s) still open when the drain's time ran out; the JVM exits"));
    }

    private int openConnections() {
        int open = 0;
        for (ConnectionRecord c : registry.connections()) {
            if (!c.listener().isJvmManagementConnector()) {
                open++;
            }
        }
        return open;
    }

    private static void sleep(long nanos) {
        long deadline = System.nanoTime() + nanos;
        long left;
        while ((left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(ShutdownDrain.class, left);
        }
    }
}
