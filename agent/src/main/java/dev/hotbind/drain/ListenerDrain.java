package dev.hotbind.drain;

import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.registry.ConnectionRecord;
import dev.hotbind.registry.ConnectionState;
import dev.hotbind.registry.DrainProgress;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import java.io.Closeable;
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
    String finish() {
        String summary = "drain of listener #" + listener.id() + " ended by a failure";
        try {
            summary = summarise();
            return summary;
        } finally {
            listener.lifecycle().endDrain(summary);
        }
    }

    private String summarise() {
        for (ConnectionRecord c : registry.connectionsOf(listener)) {
            Object socket = c.get();
            if (socket instanceof Closeable && c.state() == ConnectionState.OPEN && forceClose((Closeable) socket)) {
                forceClosed++;
            }
        }
        int left = poll();
        long acceptedMeanwhile = listener.acceptedCount() - acceptedAtStart;
        long byApplication = openAtStart + acceptedMeanwhile - forceClosed - left;
        ListenerEvents.drainEnded(event, listener, openAtStart, byApplication, forceClosed, left, timeoutMillis);
        return "drained listener #" + listener.id() + " " + listener.address() + " in " + elapsedMillis()
                + " ms: " + byApplication + " connection(s) closed by the application, " + forceClosed
                + " force-closed" + (forceClosed > 0 ? " when the " + timeoutMillis + " ms timeout passed" : "")
                + (left > 0 ? ", " + left + " could not be closed" : "")
                + (listener.state() == ListenerState.CLOSED ? "; the listener was closed meanwhile"
                        : "; the port stays released and the accept threads held: rebind() resumes accepting, "
                                + "close() closes it");
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static boolean forceClose(Closeable socket) {
        try {
            socket.close();
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
