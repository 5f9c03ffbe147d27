package dev.hotbind.audit;

import dev.hotbind.registry.AcceptWaiter;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds bound listeners nobody accepts from. A queue that is not empty at one audit is normal under
 * load; only a queue that stays non-empty while the accepted count stands still, for longer than
 * {@code acceptStallThreshold}, is a stall. Works for blocking and selector-driven listeners alike.
 * A stall older than the attach needs no threshold: the discovery saw connections queued and nobody
 * to take them (no thread inside accept, no selector watching), and if the first audit finds the same
 * with nothing accepted since, the acceptor died before hotbind came.
 */
final class ListenerDetector {
    private final long stallMillis;
    private final KernelView kernelView;
    /** Per listener whose queue is not empty: since when, and its accepted count then. */
    private Map<ListenerRecord, long[]> stalls = new HashMap<>();

    ListenerDetector(long stallMillis, KernelView kernelView) {
        this.stallMillis = stallMillis;
        this.kernelView = kernelView;
    }

    /** {@code kernel} maps listener id to its LISTEN socket; empty when the kernel view is not available. */
    List<OrphanedListener> detect(List<ListenerRecord> live, Map<Long, KernelSocket> kernel, long now) {
        List<OrphanedListener> found = new ArrayList<>();
        Map<ListenerRecord, long[]> nextStalls = new HashMap<>();
        for (ListenerRecord l : live) {
            if (l.state() != ListenerState.BOUND) {
                continue;
            }
            KernelSocket k = kernel.get(l.id());
            long depth = k == null ? -1 : k.rxQueue();
            List<String> reasons = new ArrayList<>();
            long since = Long.MAX_VALUE;
            List<AcceptWaiter> waiters = l.acceptWaiters();
            Thread last = l.lastAcceptThread();
            if (last != null && !last.isAlive() && waiters.isEmpty()) {
                reasons.add("the last thread that accepted on it, '" + last.getName()
                        + "', has died and no thread is inside accept");
                since = l.lastAcceptMillis();
            }
            long queuedAtAttach = l.queuedAtAttachMillis();
            if (depth > 0 && queuedAtAttach > 0 && waiters.isEmpty() && l.acceptedCount() == 0) {
                reasons.add(depth + " connection(s) waiting in the kernel's accept queue since before the attach "
                        + "and no thread inside accept or selecting on it, then and at this audit "
                        + AcceptThreadDetector.seconds(now - queuedAtAttach) + " later; nothing accepted since");
                since = queuedAtAttach;
            } else if (depth > 0) {
                long[] stall = stalls.get(l);
                if (stall == null || stall[1] != l.acceptedCount()) {
                    stall = new long[] {now, l.acceptedCount()};
                }
                nextStalls.put(l, stall);
                if (now - stall[0] >= stallMillis) {
                    reasons.add(depth + " connection(s) waiting in the kernel's accept queue and nothing accepted for "
                            + AcceptThreadDetector.seconds(now - stall[0]) + "; threads inside accept: "
                            + (waiters.isEmpty() ? "none" : names(waiters)));
                    since = Math.min(since, stall[0]);
                }
            }
            if (!reasons.isEmpty()) {
                found.add(new OrphanedListener(l.id(), l.address(), String.join("; ", reasons), depth,
                        kernelView.effectiveBacklog(l),
                        last == null ? "" : last.getName(), l.lastAcceptMillis(), since));
            }
        }
        stalls = nextStalls;
        return found;
    }

    private static String names(List<AcceptWaiter> waiters) {
        List<String> names = new ArrayList<>();
        for (AcceptWaiter w : waiters) {
            names.add(w.thread().getName());
        }
        return String.join(", ", names);
    }
}
