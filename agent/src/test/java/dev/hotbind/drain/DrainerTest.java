package dev.hotbind.drain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.rebind.Handover;
import dev.hotbind.rebind.ListenerOperations;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A drain on a real loopback listener (no agent: the registry is fed by hand). */
class DrainerTest {
    private final Handover handover = new Handover();
    private final Registry registry = new Registry(16, null, handover);
    private final ListenerOperations operations = new ListenerOperations(registry, handover);
    private final Drainer drainer = new Drainer(registry, operations);

    /** Before, State read UNBOUND while the port was being released, and only then DRAINING. */
    @Test
    void stateReadsDrainingFromTheFirstInstantUntilTheDrainEnds() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            registry.bound(server, 50);
            ListenerRecord listener = registry.listeners().get(0);
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                Object token = registry.acceptEnter(server);
                Socket accepted = server.accept();
                registry.acceptExit(token, server, accepted, null);
                assertEquals(1, registry.connectionsOf(listener).size());

                AtomicReference<Drained> answer = new AtomicReference<>();
                Thread drain = new Thread(() -> answer.set(drainer.drain(listener, 300)), "test-drain");
                List<ListenerState> seen = new ArrayList<>(List.of(listener.state()));
                drain.start();
                while (drain.isAlive()) {
                    ListenerState now = listener.state();
                    if (now != seen.get(seen.size() - 1)) {
                        seen.add(now);
                    }
                }
                drain.join();
                assertTrue(seen.equals(List.of(ListenerState.BOUND, ListenerState.DRAINING))
                        || seen.equals(List.of(ListenerState.BOUND, ListenerState.DRAINING, ListenerState.UNBOUND)),
                        "states seen: " + seen);
                assertEquals(ListenerState.UNBOUND, listener.state());
                assertEquals(1, answer.get().forceClosed(), answer.get().line());
                assertEquals(1, answer.get().openAtStart(), answer.get().line());
                assertTrue(drainer.status(listener).startsWith("last drain: drained listener #" + listener.id()),
                        drainer.status(listener));
                assertEquals(-1, drainer.remaining(listener));
            }
        }
    }
}
