package dev.hotbind.rebind;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.util.List;

/** What unbind() did, or a drain's release of the port. */
public record Unbound(
        @Figure("hotbind's id of the listener") long listenerId,
        @Figure("host:port it listened on, where rebind() resumes") String address,
        @Figure("how long the swap took, in microseconds") long micros,
        @Figure("microseconds until the port refused new clients; -1: still held after 2 s (a thread finishing "
                + "an accept on it, or another socket bound it meanwhile)") long portReleasedMicros,
        @Figure("threads blocked in accept, signalled to wait on the parked socket") int threadsSignalled,
        @Figure("virtual threads waiting in accept, unparked") int virtualThreadsUnparked,
        @Figure("selection keys re-armed for the selectors that wait for connections") int selectionKeysRearmed,
        @Figure("connections that waited in the released socket's queue") int queued,
        @Figure("of those, handed to the application") int handedOver,
        @Figure("of those, reset: not accepted by the application within 5 s, or no way to hand them over") int reset,
        @Figure("how long the hand-over took, in microseconds") long handoverMicros,
        @Figure("net.ipv4.tcp_migrate_req and what it means for a port shared through SO_REUSEPORT") String migration,
        @Figure("the inherited socket (agent option inherit) kept open instead of released, so new clients queue "
                + "on it; empty when the port was released") String inheritedKept)
        implements Answer {

    static Unbound of(long listenerId, String address, SocketSwapper.Outcome done, long releasedMicros,
                      String inheritedKept) {
        Handover.Delivery d = done.delivery();
        return new Unbound(listenerId, address, done.micros(), releasedMicros, done.signalled(), done.unparked(),
                done.rearmed(), d.queued(), d.handedOver(), d.reset(), d.micros(), Migration.note(), inheritedKept);
    }

    @Override
    public List<String> summary() {
        return List.of("unbound listener #" + listenerId + " " + address + " in " + micros + " µs",
                "the port: " + (inheritedKept.isEmpty() ? SocketSwapper.released(portReleasedMicros)
                        : "the inherited " + inheritedKept + " stays open in hotbind's hands and its giver's (systemd's): "
                        + "new clients queue on it, for rebind() or the next process, instead of being refused"),
                "the application's accept threads wait inside accept without an exception",
                SocketSwapper.Outcome.waiters(threadsSignalled, virtualThreadsUnparked, selectionKeysRearmed),
                Handover.Delivery.describe(queued, handedOver, handoverMicros),
                "rebind() resumes on " + address + ", rebindTo(address) elsewhere",
                migration);
    }
}
