package dev.hotbind.drain;

import dev.hotbind.options.AgentOptions;
import dev.hotbind.rebind.ListenerOperations;
import dev.hotbind.registry.DrainProgress;
import dev.hotbind.registry.ListenerLifecycle;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Graceful drain, as Go's {@code Server.Shutdown}: stop accepting at once (the port is released, the
 * application's accept threads are held as by {@link ListenerOperations#unbind}, under the same
 * serialisation as every operation on the listener, while State reads DRAINING), wait for the connections
 * the listener accepted to be closed by the application, force-close the rest when the timeout passes.
 * The caller's thread waits; nothing else is blocked, and other listeners stay free for operations.
 */
public final class Drainer {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Registry registry;
    private final ListenerOperations operations;

    public Drainer(Registry registry, ListenerOperations operations) {
        this.registry = registry;
        this.operations = operations;
    }

    /** Drains one listener within {@code timeoutMillis} and answers what happened. */
    public Drained drain(ListenerRecord listener, long timeoutMillis) {
        checkTimeout(timeoutMillis);
        ListenerOperations.notTheJvmsConnector(listener, "drain");
        return await(List.of(begin(listener, timeoutMillis)), timeoutMillis).get(0);
    }

    /**
     * Drains every listener not closed, all at once and all within {@code timeoutMillis}.
     * The JDK's own RMI listeners (the JMX connector JConsole and the CLI use) are left alone: a connected
     * console must not hold the JVM's exit, and the operator may be watching the drain through it.
     */
    public DrainedAll drainAll(long timeoutMillis) {
        checkTimeout(timeoutMillis);
        List<String> lines = new ArrayList<>();
        List<ListenerDrain> drains = new ArrayList<>();
        for (ListenerRecord listener : registry.listeners()) {
            if (listener.isJvmManagementConnector()) {
                lines.add("left listener #" + listener.id() + " " + listener.address() + " alone: it is the JDK's RMI "
                        + "(JMX) listener");
                continue;
            }
            try {
                drains.add(begin(listener, timeoutMillis));
            } catch (IllegalStateException refused) {
                lines.add(refused.getMessage());
            } catch (RuntimeException failed) {
                lines.add("could not drain listener #" + listener.id() + " " + listener.address() + ": " + failed);
            }
        }
        return DrainedAll.of(await(drains, timeoutMillis), lines);
    }

    /** Connections still open while a drain runs; -1 when none runs. */
    public int remaining(ListenerRecord listener) {
        DrainProgress drain = listener.lifecycle().drain();
        return drain == null ? -1 : drain.remaining();
    }

    /** The running drain's progress, else the last drain's summary. */
    public String status(ListenerRecord listener) {
        DrainProgress drain = listener.lifecycle().drain();
        if (drain != null) {
            return drain.progress();
        }
        if (listener.state() == ListenerState.DRAINING) {
            return "draining: releasing the port";
        }
        String last = listener.lifecycle().lastDrain();
        return last == null ? "never drained" : "last drain: " + last;
    }

    /**
     * 0 is refused, not taken as "force-close at once": JConsole pre-fills 0 in the operation's field, and
     * one click would cut every client off. A timeout of 1 ms still force-closes at once, when typed.
     */
    private static void checkTimeout(long timeoutMillis) {
        if (timeoutMillis < 1 || timeoutMillis > AgentOptions.MAX_DRAIN_MILLIS) {
            throw new IllegalArgumentException("timeoutMillis must be from 1 to " + AgentOptions.MAX_DRAIN_MILLIS
                    + " (24 hours): how long, in ms, the application gets to close its connections before the rest "
                    + "are force-closed (to stop accepting without touching connections: unbind() or close()); got "
                    + timeoutMillis);
        }
    }

    /**
     * DRAINING from the first instant, then the port released: no reader sees the listener unbound
     * first. DrainRemaining counts (is no longer -1) once the port is released.
     */
    private ListenerDrain begin(ListenerRecord listener, long timeoutMillis) {
        return operations.serialised(listener, () -> {
            ListenerLifecycle lifecycle = listener.lifecycle();
            DrainProgress already = lifecycle.drain();
            if (already != null) {
                throw new IllegalStateException("listener #" + listener.id() + " " + listener.address() + " is already "
                        + already.progress() + "; a second drain is refused");
            }
            ListenerState from = listener.state();
            if (listener.server() == null || !lifecycle.startDrain(from)) {
                throw new IllegalStateException("listener #" + listener.id() + " " + listener.address()
                        + " is already closed; nothing to drain");
            }
            // counted before the port is released: releasing it takes a while (tens of ms to seconds on a
            // loaded machine), and a conversation the application finishes meanwhile is one it closed
            ListenerDrain drain = new ListenerDrain(registry, listener, timeoutMillis);
            if (from == ListenerState.BOUND) {
                try {
                    operations.releaseForDrain(listener);
                } catch (RuntimeException e) {
                    lifecycle.abandonDrain(from);
                    throw e;
                }
            }
            lifecycle.draining(drain);
            registry.changed(listener);
            return drain;
        });
    }

    private List<Drained> await(List<ListenerDrain> drains, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        long left;
        while (anyOpen(drains) && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, Math.min(POLL_NANOS, left));
        }
        List<Drained> summaries = new ArrayList<>();
        for (ListenerDrain drain : drains) {
            summaries.add(drain.finish());
        }
        return summaries;
    }

    private static boolean anyOpen(List<ListenerDrain> drains) {
        boolean open = false;
        for (ListenerDrain drain : drains) {
            open |= drain.poll() > 0;
        }
        return open;
    }
}
