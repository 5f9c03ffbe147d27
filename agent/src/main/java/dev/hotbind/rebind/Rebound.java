package dev.hotbind.rebind;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.util.ArrayList;
import java.util.List;

/** What rebind() or rebindTo(address) did. */
public record Rebound(
        @Figure("hotbind's id of the listener") long listenerId,
        @Figure("renewed: the same socket listens again in place; shared-port: a fresh socket joined the port the "
                + "application shares through SO_REUSEPORT; moved: to another address; from-unbound: bound again "
                + "after unbind or drain; inherited: the inherited socket (agent option inherit) under it again after unbind")
        String kind,
        @Figure("host:port it listened on before") String from,
        @Figure("host:port it listens on now") String to,
        @Figure("how long the swap took, in microseconds") long micros,
        @Figure("threads blocked in accept, signalled to retry accept") int threadsSignalled,
        @Figure("virtual threads waiting in accept, unparked") int virtualThreadsUnparked,
        @Figure("selection keys re-armed for the selectors that wait for connections") int selectionKeysRearmed,
        @Figure("connections that waited in the replaced socket's queue; -1: left for the kernel to move to "
                + "another socket on the port") int queued,
        @Figure("of those, handed to the application") int handedOver,
        @Figure("of those, reset: not accepted by the application within 5 s, or no way to hand them over") int reset,
        @Figure("how long the hand-over took, in microseconds") long handoverMicros,
        @Figure("after a move: microseconds until the old port refused new clients; -1: still held after 2 s, or "
                + "no old port to release (renewed, shared-port, from-unbound)") long oldPortReleasedMicros,
        @Figure("shared-port: net.ipv4.tcp_migrate_req and what it means for the replaced socket; empty otherwise")
        String migration)
        implements Answer {

    public static final String RENEWED = "renewed";
    public static final String SHARED_PORT = "shared-port";
    public static final String MOVED = "moved";
    public static final String FROM_UNBOUND = "from-unbound";
    public static final String INHERITED = "inherited";

    static Rebound of(long listenerId, String kind, String from, String to, SocketSwapper.Outcome done,
                      long oldPortReleasedMicros) {
        Handover.Delivery d = done.delivery();
        return new Rebound(listenerId, kind, from, to, done.micros(), done.signalled(), done.unparked(),
                done.rearmed(), d.queued(), d.handedOver(), d.reset(), d.micros(), oldPortReleasedMicros,
                kind.equals(SHARED_PORT) ? Migration.note() : "");
    }

    @Override
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add((kind.equals(MOVED) ? "moved" : "rebound") + " listener #" + listenerId + " " + from
                + (kind.equals(FROM_UNBOUND) || kind.equals(INHERITED) ? " (unbound)" : "") + " -> " + to + " in "
                + micros + " µs");
        if (kind.equals(RENEWED)) {
            lines.add("renewed in place: the same socket listens again; the port was never closed nor shared "
                    + "(no SO_REUSEPORT)");
        }
        lines.add("same application object; connections it accepted are untouched");
        lines.add(SocketSwapper.Outcome.waiters(threadsSignalled, virtualThreadsUnparked, selectionKeysRearmed));
        lines.add(kind.equals(RENEWED) ? "what waits in its queue or handshake stays there, nothing reset"
                : kind.equals(INHERITED) ? "the inherited socket is under it again: connections that queued on it "
                + "meanwhile are accepted now" : Handover.Delivery.describe(queued, handedOver, handoverMicros));
        if (kind.equals(MOVED)) {
            lines.add("the old port: " + SocketSwapper.released(oldPortReleasedMicros));
        }
        if (!migration.isEmpty()) {
            lines.add(migration);
        }
        return lines;
    }
}
