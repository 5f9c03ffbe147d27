package dev.hotbind.bindretry;

import dev.hotbind.audit.jfr.ListenerEvents;

/** One application bind call waiting for its port: confined to the application thread making the call. */
final class BindWait {
    static final String BOUND = "bound";
    static final String GAVE_UP = "gave up";

    private final String address;
    private final AddressRetries counts;
    private final Throwable firstFailure;
    private final long beganNanos = System.nanoTime();
    private final long deadlineNanos;
    private final Object event;
    private int retries;

    BindWait(String address, AddressRetries counts, Throwable firstFailure, long windowMillis, Object event) {
        this.address = address;
        this.counts = counts;
        this.firstFailure = firstFailure;
        this.deadlineNanos = beganNanos + windowMillis * 1_000_000;
        this.event = event;
        counts.waitBegan();
    }

    int retries() {
        return retries;
    }

    Throwable firstFailure() {
        return firstFailure;
    }

    /**
     * Sleeps {@code millis}, or what is left before the deadline if less; false, without sleeping, once
     * the deadline has passed, and when the thread is interrupted (its interrupt status is kept for the
     * application, which then gets its exception at once).
     */
    boolean pause(long millis) {
        long left = deadlineNanos - System.nanoTime();
        if (left <= 0 || Thread.currentThread().isInterrupted()) {
            return false;
        }
        try {
            Thread.sleep(Math.max(1, Math.min(millis, left / 1_000_000)));
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void retrying() {
        retries++;
        counts.retried();
    }

    void end(String outcome) {
        long waitedMillis = (System.nanoTime() - beganNanos) / 1_000_000;
        counts.waitEnded(outcome, retries, waitedMillis);
        ListenerEvents.bindRetried(event, address, retries, outcome);
    }
}
