package dev.hotbind.it.servers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.Replies;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.RunningServer;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Issue 2 on a real server: hotbind sees its listener, accept threads and connections exactly. */
interface ObservesListener extends ServerUnderTest {
    String BEFORE_ATTACH = "before hotbind was attached";

    /**
     * Issue 9: attached to the idle server, with no request since, hotbind shows the connections it
     * holds from before the attach and, for a blocking server, its acceptor inside accept: at once.
     */
    @Order(0)
    @ParameterizedTest(name = "{0}")
    @MethodSource(ATTACH_SETUPS)
    default void attachShowsTheIdleServerAtOnce(Setup setup) throws Exception {
        RunningServer server = server(setup);
        RunningServer.AtAttach seen = server.atAttach();
        Set<Integer> held = new TreeSet<>();
        for (Http.KeepAlive client : server.heldBeforeAttach()) {
            held.add(client.localPort());
        }
        assertEquals(RunningServer.HELD_BEFORE_ATTACH, held.size());
        assertEquals(held.size(), seen.openConnections(), "connections held since before the attach");
        assertEquals(held, seen.peerPorts());
        assertEquals(Set.of(BEFORE_ATTACH), seen.acceptedAt());
        assertEquals(Set.of(""), seen.acceptThreadsOfConnections(), "no accepting thread known");
        assertEquals(0L, seen.acceptedCount(), "nothing accepted since the attach");
        String[] inAccept = seen.acceptThreads();
        if (server.app().blocking()) {
            assertEquals(1, inAccept.length, Arrays.toString(inAccept));
            assertTrue(server.app().acceptThread().matcher(inAccept[0].replaceFirst(" \\(since .*", "")).matches(),
                    Arrays.toString(inAccept));
            assertTrue(inAccept[0].endsWith("(since " + BEFORE_ATTACH + ")"), inAccept[0]);
        } else {
            assertArrayEquals(new String[0], inAccept);
        }
        for (Http.KeepAlive client : server.heldBeforeAttach()) {
            client.close();
        }
        Poll.until("the held connections gone once their clients closed",
                () -> Integer.valueOf(0).equals(server.attribute("OpenConnections")));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void listenerShowsItsPortKindAndState(Setup setup) throws Exception {
        RunningServer server = server(setup);
        assertEquals(server.port(), server.attribute("LocalPort"));
        assertEquals("127.0.0.1", server.attribute("LocalAddress"));
        assertEquals("ServerSocketChannel", server.attribute("Kind"));
        assertEquals("BOUND", server.attribute("State"));
        assertEquals(server.app().blocking(), server.attribute("Blocking"));
        CompositeData row = listenerRow(server);
        assertEquals(server.port(), row.get("port"));
        assertEquals("ServerSocketChannel", row.get("kind"));
        String[] stack = (String[]) server.attribute("BindStackTrace");
        if (setup.mode() == Mode.JAVAAGENT) {
            assertNotEquals(BEFORE_ATTACH, server.attribute("BoundAt"));
            assertTrue(Arrays.stream(stack).anyMatch(f -> f.contains(server.app().bindFramePrefix())),
                    "a frame of " + server.app().bindFramePrefix() + " in " + Arrays.toString(stack));
        } else {
            assertEquals(BEFORE_ATTACH, server.attribute("BoundAt"));
            assertArrayEquals(new String[0], stack);
        }
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void acceptThreadsWhileIdle(Setup setup) throws Exception {
        RunningServer server = server(setup);
        if (server.app().blocking()) {
            // the acceptor waits in accept() between connections: that is the thread to see
            Poll.until("the acceptor thread inside accept: " + Arrays.toString(
                    (String[]) server.attribute("AcceptThreads")), server::acceptorInAccept);
            assertTrue(String.valueOf(listenerRow(server).get("acceptThreads")).contains(" (since "));
        } else {
            // a selector waits for OP_ACCEPT and accept() returns at once: no thread is ever inside it idle
            assertArrayEquals(new String[0], (String[]) server.attribute("AcceptThreads"));
            assertEquals("", listenerRow(server).get("acceptThreads"));
        }
        assertEquals(Replies.BODY, server.get("/"));
    }

    @Order(3)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void acceptedCountCountsEachConnection(Setup setup) throws Exception {
        RunningServer server = server(setup);
        long before = (Long) server.attribute("AcceptedCount");
        int connections = 5;
        for (int i = 0; i < connections; i++) {
            assertEquals(Replies.BODY, server.get("/"));
        }
        Poll.until("AcceptedCount " + (before + connections),
                () -> Long.valueOf(before + connections).equals(server.attribute("AcceptedCount")));
        assertEquals(before + connections, listenerRow(server).get("acceptedCount"));
        assertEquals(before + connections, server.attribute("AcceptedCount"));
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void connectionsAppearWhileOpenAndGoAfterClose(Setup setup) throws Exception {
        RunningServer server = server(setup);
        Poll.until("no connection left open by earlier requests",
                () -> Integer.valueOf(0).equals(server.attribute("OpenConnections")));
        List<Http.KeepAlive> clients = new ArrayList<>();
        Set<Integer> clientPorts = new TreeSet<>();
        try {
            for (int i = 0; i < 3; i++) {
                Http.KeepAlive client = new Http.KeepAlive(server.port());
                clients.add(client);
                assertEquals(Replies.BODY, client.get("/"));
                clientPorts.add(client.localPort());
            }
            Poll.until("3 open connections", () -> Integer.valueOf(3).equals(server.attribute("OpenConnections")));
            assertEquals(clientPorts, remotePorts(server.hotbind().rows(server.listener(), "connections"), server));
            assertEquals(clientPorts, remotePorts(server.hotbind().agentRead("connections"), server));
            assertTrue((Integer) server.hotbind().agent("OpenConnectionCount") >= 3);
        } finally {
            for (Http.KeepAlive client : clients) {
                client.close();
            }
        }
        // the server sees the end of stream and closes its side: then the rows go
        Poll.until("the connections gone after the clients closed",
                () -> Integer.valueOf(0).equals(server.attribute("OpenConnections"))
                        && remotePorts(server.hotbind().agentRead("connections"), server).isEmpty());
        assertEquals(Set.of(), remotePorts(server.hotbind().rows(server.listener(), "connections"), server));
    }

    @Order(5)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void aHealthyServerShowsNoOrphansAfterABurst(Setup setup) throws Exception {
        RunningServer server = server(setup);
        for (int i = 0; i < 40; i++) {
            assertEquals(Replies.BODY, Http.get(server.port(), "/"));
        }
        long burstEnded = (Long) server.hotbind().agent("AuditCount");
        Poll.until("two orphan audits after the burst",
                () -> (Long) server.hotbind().agent("AuditCount") >= burstEnded + 2);
        for (String count : new String[] {"OrphanedAcceptThreadCount", "OrphanedListenerCount",
            "OrphanedConnectionCount", "UnmanagedListenerCount"}) {
            assertEquals(0, server.hotbind().agent(count), count + " of a healthy " + server + " " + setup);
        }
    }

    private static CompositeData listenerRow(RunningServer server) {
        return server.hotbind().agentRows("Listeners").stream()
                .filter(r -> Long.valueOf(server.listenerId()).equals(r.get("id")))
                .findFirst().orElseThrow(() -> new AssertionError("no Listeners row for #" + server.listenerId()));
    }

    /** The client ports of the rows that belong to this server's listener. */
    private static Set<Integer> remotePorts(List<CompositeData> rows, RunningServer server) {
        Set<Integer> ports = new TreeSet<>();
        for (CompositeData row : rows) {
            if (Long.valueOf(server.listenerId()).equals(row.get("listenerId"))) {
                String remote = (String) row.get("remoteAddress");
                ports.add(Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1)));
            }
        }
        return ports;
    }
}
