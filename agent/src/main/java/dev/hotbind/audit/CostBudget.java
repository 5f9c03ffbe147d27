package dev.hotbind.audit;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * Paces a step whose cost grows with the number of sockets (reading the whole TCP table, listing
 * /proc/self/fd): after a run that took t of the audit thread's CPU, the next may start only
 * {@code t * RATIO} later, so the step takes at most 1/RATIO of a core; never sooner than
 * {@code minGapMillis}, and never later than {@code maxGapMillis}, which bounds how late a finding
 * that needs the step can be.
 */
final class CostBudget {
    /** 500: at most 0.2 % of one core per paced step. */
    static final long RATIO = 500;

    private final long minGapMillis;
    private final long maxGapMillis;
    private long nextMillis;

    /** Not a field of CostBudget: the platform MXBeans cost tens of ms to make, which premain would pay. */
    private static final class Threads {
        static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    }

    CostBudget(long minGapMillis, long maxGapMillis) {
        this.minGapMillis = minGapMillis;
        this.maxGapMillis = Math.max(minGapMillis, maxGapMillis);
        this.nextMillis = System.currentTimeMillis() + minGapMillis;
    }

    boolean due(long nowMillis) {
        return nowMillis >= nextMillis;
    }

    /** The audit thread's CPU time now, in nanoseconds (wall time where the JVM cannot tell). */
    static long begin() {
        return Threads.MX.isCurrentThreadCpuTimeSupported() ? Threads.MX.getCurrentThreadCpuTime() : System.nanoTime();
    }

    void spent(long nowMillis, long begun) {
        long costNanos = begin() - begun;
        nextMillis = nowMillis + Math.min(maxGapMillis, Math.max(minGapMillis, costNanos * RATIO / 1_000_000));
    }
}
