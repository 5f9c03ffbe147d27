package dev.hotbind.it.harness;

import java.time.Duration;
import java.util.function.Supplier;

/** Bounded waits for a condition: tests never sleep and hope. */
public final class Poll {
    public static final Duration DEFAULT = Duration.ofSeconds(30);

    private Poll() {
    }

    /** Waits until {@code condition} holds; fails with {@code what} and the last value seen. */
    public static void until(String what, Supplier<Boolean> condition) {
        until(what, DEFAULT, condition);
    }

    public static void until(String what, Duration timeout, Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Throwable last = null;
        while (true) {
            try {
                if (Boolean.TRUE.equals(condition.get())) {
                    return;
                }
                last = null;
            } catch (RuntimeException | AssertionError e) {
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for: " + what, last);
            }
            pause();
        }
    }

    /** Waits until {@code supplier} gives a non-null value and returns it. */
    public static <T> T value(String what, Supplier<T> supplier) {
        return value(what, DEFAULT, supplier);
    }

    public static <T> T value(String what, Duration timeout, Supplier<T> supplier) {
        Object[] holder = new Object[1];
        until(what, timeout, () -> (holder[0] = supplier.get()) != null);
        @SuppressWarnings("unchecked")
        T value = (T) holder[0];
        return value;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
