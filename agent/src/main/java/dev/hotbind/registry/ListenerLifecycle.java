package dev.hotbind.registry;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one owner of a listener's state. Every transition is a compare-and-set from the state its
 * writer saw, so an operation that ran while the application closed its socket cannot bring the
 * listener back: CLOSED is final. Also holds what operations keep about the listener between calls
 * (the lock that serialises them, the settings a parked listener resumes with, its running or last
 * drain), so nothing about a listener outlives its record in a side map.
 */
public final class ListenerLifecycle {
    private final AtomicReference<ListenerState> state = new AtomicReference<>(ListenerState.BOUND);
    private final ReentrantLock operationLock = new ReentrantLock();
    private volatile ListenerSettings parked;
    private volatile DrainProgress drain;
    private volatile String lastDrain;

    public ListenerState state() {
        return state.get();
    }

    /**
     * Moves from {@code from} to {@code to} if the state is still {@code from}; answers whether it did.
     * Never leaves or enters CLOSED: that is {@link #close()}'s alone.
     */
    public boolean transition(ListenerState from, ListenerState to) {
        if (from == ListenerState.CLOSED || to == ListenerState.CLOSED) {
            throw new IllegalArgumentException("CLOSED is entered by close() only and never left");
        }
        boolean moved = state.compareAndSet(from, to);
        if (moved && to == ListenerState.BOUND) {
            parked = null;
        }
        return moved;
    }

    /** Ends the listener's life whatever operation is under way; true only for the first caller. */
    boolean close() {
        ListenerState current;
        do {
            current = state.get();
            if (current == ListenerState.CLOSED) {
                return false;
            }
        } while (!state.compareAndSet(current, ListenerState.CLOSED));
        parked = null;
        return true;
    }

    /**
     * Takes the operation lock within {@code seconds}; false if another operation holds it that long.
     * Never taken on the accept path.
     */
    public boolean lock(long seconds) throws InterruptedException {
        return operationLock.tryLock(seconds, TimeUnit.SECONDS);
    }

    public void unlock() {
        operationLock.unlock();
    }

    /** What the application had set on a listener hotbind unbound, for the rebind that resumes it. */
    public ListenerSettings parked() {
        return parked;
    }

    public void parked(ListenerSettings settings) {
        parked = state.get() == ListenerState.CLOSED ? null : settings;
    }

    /** The drain counting the listener's connections now, else null (also while its port is being released). */
    public DrainProgress drain() {
        return drain;
    }

    /** Starts a drain: DRAINING from this instant, from BOUND or UNBOUND; false if not in either. */
    public boolean startDrain(ListenerState from) {
        return (from == ListenerState.BOUND || from == ListenerState.UNBOUND)
                && transition(from, ListenerState.DRAINING);
    }

    /** The started drain's port is released: from now on it counts the connections left. */
    public void draining(DrainProgress running) {
        drain = running;
    }

    /** Undoes {@link #startDrain} when the drain could not begin after all. */
    public void abandonDrain(ListenerState back) {
        drain = null;
        transition(ListenerState.DRAINING, back);
    }

    /** Ends the drain: the listener stays unbound unless it was closed meanwhile. */
    public void endDrain(String summary) {
        lastDrain = summary;
        drain = null;
        transition(ListenerState.DRAINING, ListenerState.UNBOUND);
    }

    /** The last finished drain's summary, or null. */
    public String lastDrain() {
        return lastDrain;
    }
}
