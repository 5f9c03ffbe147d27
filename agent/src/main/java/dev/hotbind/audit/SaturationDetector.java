package dev.hotbind.audit;

import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds listeners whose accept queue is full: at an audit, as many connections wait as the backlog
 * allows (the kernel takes one more, then drops handshakes and counts ListenOverflows). Needs the
 * listener's backlog, which hotbind knows when it saw the bind or gave one (setBacklog): a listener
 * bound before an attach is not judged until then. Sampled at each audit, so a queue that filled and
 * emptied between two audits is seen only in the namespace's counters.
 */
final class SaturationDetector {
    /** How long a listener stays a finding after its queue was last seen full: the finding says "has been full". */
    static final long MIN_QUIET_MILLIS = 60_000;

    private final KernelView kernel;
    private final long quietMillis;
    /** Per listener seen full: first and last time, how many audits, ListenOverflows at the first. */
    private Map<ListenerRecord, long[]> seen = new HashMap<>();

    SaturationDetector(KernelView kernel, long intervalMillis) {
        this.kernel = kernel;
        this.quietMillis = quietMillis(intervalMillis);
    }

    /** A minute, or ten audits where they are further apart. */
    static long quietMillis(long intervalMillis) {
        return Math.max(MIN_QUIET_MILLIS, 10 * intervalMillis);
    }

    /** {@code sockets} maps listener id to its LISTEN socket; empty when the kernel view is not available. */
    List<SaturatedListener> detect(List<ListenerRecord> live, Map<Long, KernelSocket> sockets,
                                   ListenCounters counters, long now) {
        List<SaturatedListener> found = new ArrayList<>();
        Map<ListenerRecord, long[]> next = new HashMap<>();
        for (ListenerRecord l : live) {
            KernelSocket k = sockets.get(l.id());
            long backlog = kernel.effectiveBacklog(l);
            long[] state = seen.get(l);
            long depth = k == null ? -1 : k.rxQueue();
            if (l.state() == ListenerState.BOUND && backlog > 0 && depth >= backlog) {
                state = state == null ? new long[] {now, now, 0, counters.overflows()} : state;
                state[1] = now;
                state[2]++;
            }
            if (state == null || now - state[1] >= quietMillis) {
                continue;
            }
            next.put(l, state);
            long overflows = counters.known() && state[3] >= 0 ? counters.overflows() - state[3] : -1;
            found.add(new SaturatedListener(l.id(), l.address(), state[0], state[1], state[2], depth, backlog,
                    overflows, suggestion(backlog)));
        }
        seen = next;
        return found;
    }

    private static String suggestion(long backlog) {
        long somaxconn = KernelView.somaxconn();
        if (somaxconn > 0 && backlog >= somaxconn) {
            return "add acceptors or accept faster; the backlog is already net.core.somaxconn=" + somaxconn
                    + " (raise that sysctl first to go higher)";
        }
        return "raise the backlog (setBacklog, up to net.core.somaxconn=" + somaxconn + ") or add acceptors";
    }
}
