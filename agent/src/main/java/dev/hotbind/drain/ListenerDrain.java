package dev.hotbind.drain;

import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.registry.ConnectionRecord;
import dev.hotbind.registry.ConnectionState;
import dev.hotbind.registry.DrainProgress;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import java.io.IOException;

/** One listener's drain: its port released, waiting for the connections it accepted to be closed. */
final class ListenerDrain implements DrainProgress {
    private final Registry registry;
    private final ListenerRecord listener;
    private final long timeoutMillis;
    private final long startNanos = System.nanoTime();
    private final int openAtStart;
    private final long acceptedAtStart;
    private volatile int remaining;
    private int forceClosed;
    /** The JFR event timing this drain (null without JFR). */
    private final Object event;

    ListenerDrain(Registry registry, ListenerRecord listener, long timeoutMillis) {
        this.registry = registry;
        this.listener = listener;
        this.timeoutMillis = timeoutMillis;
        this.acceptedAtStart = listener.acceptedCount();
        this.openAtStart = registry.connectionsOf(listener).size();
        this.remaining = openAtStart;
        this.event = ListenerEvents.drainStarted(listener, openAtStart, timeoutMillis);
    }

    ListenerRecord listener() {
        return listener;
    }

    /** Connections still open, counted again now. */
    int poll() {
        remaining = registry.connectionsOf(listener).size();
        return remaining;
    }

    @Override
    public String progress() {
        long elapsed = elapsedMillis();
        return "draining for " + elapsed + " ms: " + remaining + " of " + openAtStart
                + " connection(s) still open; the rest are force-closed in " + Math.max(0, timeoutMillis - elapsed)
                + " ms";
    }

    @Override
    public int remaining() {
        return remaining;
    }

    /** Closes what the application has not, ends the drain (whatever fails) and answers what happened. */
    Drained finish() {
        String summary = "drain of listener #" + listener.id() + " ended by a failure";
        try {
            Drained done = summarise();
            summary = done.line();
            return done;
        } finally {
            listener.lifecycle().endDrain(summary);
        }
    }

    private Drained summarise() {
        for (ConnectionRecord c : registry.connectionsOf(listener)) {
            if (c.get() != null && c.state() == ConnectionState.OPEN && forceClose(c)) {
                forceClosed++;
            }
        }
        int left = poll();
        long acceptedMeanwhile = listener.acceptedCount() - acceptedAtStart;
        long byApplication = openAtStart + acceptedMeanwhile - forceClosed - left;
        ListenerEvents.drainEnded(event, listener, openAtStart, byApplication, forceClosed, left, timeoutMillis);
        return new Drained(listener.id(), listener.address(), elapsedMillis(), timeoutMillis, openAtStart,
                byApplication, forceClosed, left, listener.state() == ListenerState.CLOSED);
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    /** Through the registry, which also closes a connection found at the attach (held by its impl). */
    private boolean forceClose(ConnectionRecord connection) {
        try {
            registry.close(connection);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
