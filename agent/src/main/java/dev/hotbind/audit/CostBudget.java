package dev.hotbind.audit;

/**
 * Paces a step whose cost grows with the number of sockets (reading the whole TCP table, listing
 * /proc/self/fd): after a run that took t, the next may start only {@code t * RATIO} later, so the
 * step never takes more than 1/RATIO of a core, and no sooner than {@code minGapMillis}.
 */
final class CostBudget {
    /** 250: at most 0.4 % of one core per paced step. */
    static final long RATIO = 250;

    private final long minGapMillis;
    private long nextMillis;

    CostBudget(long minGapMillis) {
        this.minGapMillis = minGapMillis;
    }

    boolean due(long nowMillis) {
        return nowMillis >= nextMillis;
    }

    void spent(long nowMillis, long costNanos) {
        nextMillis = nowMillis + Math.max(minGapMillis, costNanos * RATIO / 1_000_000);
    }
}
