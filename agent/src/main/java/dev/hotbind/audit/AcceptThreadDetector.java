package dev.hotbind.audit;

import dev.hotbind.registry.AcceptWaiter;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds threads still working a closed listener. The accept advice counts failures (O(1)); the rate
 * is worked out here, between two audits. A healthy server's acceptor fails once when its listener
 * closes and leaves: only a thread that keeps failing past {@code spinThreshold} is an orphan.
 */
final class AcceptThreadDetector {
    private final long spinThreshold;
    private final long intervalMillis;
    /** Per closed listener: failed accepts and when, at the previous audit. */
    private Map<ListenerRecord, long[]> previous = new HashMap<>();

    AcceptThreadDetector(long spinThreshold, long intervalMillis) {
        this.spinThreshold = spinThreshold;
        this.intervalMillis = intervalMillis;
    }

    List<OrphanedAcceptThread> detect(List<ListenerRecord> known, long now) {
        List<OrphanedAcceptThread> found = new ArrayList<>();
        Map<ListenerRecord, long[]> samples = new HashMap<>();
        for (ListenerRecord l : known) {
            if (l.state() != ListenerState.CLOSED) {
                continue;
            }
            long failed = l.failedAccepts();
            long[] before = previous.getOrDefault(l, new long[] {l.failedAcceptsAtClose(), l.closedAtMillis()});
            samples.put(l, new long[] {failed, now});
            spinning(l, failed, before, now, found);
            for (AcceptWaiter w : l.acceptWaiters()) {
                Thread t = w.thread();
                if (t.isAlive() && now - l.closedAtMillis() >= intervalMillis) {
                    found.add(new OrphanedAcceptThread(t.getId(), t.getName(), t.getState().name(), l.id(),
                            l.address(), "still blocked inside accept since " + (w.discovered() ? "before the attach"
                            : Instant.ofEpochMilli(w.sinceMillis()).toString())
                            + ", " + seconds(now - l.closedAtMillis()) + " after the listener was closed",
                            failed - l.failedAcceptsAtClose(), 0, l.closedAtMillis(), t.getStackTrace()));
                }
            }
        }
        previous = samples;
        return found;
    }

    private void spinning(ListenerRecord l, long failed, long[] before, long now, List<OrphanedAcceptThread> found) {
        long sinceClose = failed - l.failedAcceptsAtClose();
        Thread t = l.lastFailureThread();
        boolean stillFailing = now - l.lastFailureMillis() <= 2 * intervalMillis;
        if (t == null || sinceClose < spinThreshold || !stillFailing) {
            return;
        }
        double rate = (failed - before[0]) * 1000.0 / Math.max(1, now - before[1]);
        found.add(new OrphanedAcceptThread(t.getId(), t.getName(), t.getState().name(), l.id(), l.address(),
                "spinning on a closed listener: " + sinceClose + " accept calls failed since "
                        + (l.closedBeforeSeen() ? "hotbind found it closed (before the attach) at " : "it was closed at ")
                        + Instant.ofEpochMilli(l.closedAtMillis()) + ", "
                        + String.format(Locale.ROOT, "%.1f", rate) + " per second lately; last: " + l.lastFailure(),
                sinceClose, rate, l.closedAtMillis(), t.isAlive() ? t.getStackTrace() : new StackTraceElement[0]));
    }

    static String seconds(long millis) {
        return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
