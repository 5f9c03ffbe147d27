package dev.hotbind.it.discovery;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.IdleServersApp;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 9: attached to an idle JVM, hotbind shows at once, with no traffic after the attach, every
 * listener of every accept model, the threads inside accept and the connections held since before;
 * reports the acceptor that died before it came and a connection left in CLOSE_WAIT; and operates
 * on what it found. The target is started without hotbind, given its connections, then attached.
 */
class AttachDiscoveryIT {
    private static final String OPTIONS = "auditInterval=300ms,closeWaitThreshold=1s";
    private static final String BEFORE_ATTACH = "before hotbind was attached";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int HELD = 2;
    /** The thread accepting on each model's listener, where it is not {@code <model>-acceptor}. */
    private static final Map<String, String> ACCEPTORS = Map.of("twin", "socket-acceptor", "main", "main");

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anIdleJvmIsSeenWholeWhenTheAttachReturns(Jdk jdk) throws Exception {
        List<Socket> clients = new ArrayList<>();
        try (TargetJvm target = TargetJvm.on(jdk).mode(Mode.NONE)
                .start(IdleServersApp.READY, IdleServersApp.class.getName())) {
            List<String> models = new ArrayList<>(List.of("socket", "channel", "selector", "twin", "main"));
            if (jdk.feature() >= 21) {
                models.add("virtual");
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            Map<String, Set<Integer>> clientPorts = new LinkedHashMap<>();
            for (String model : models) {
                ports.put(model, target.awaitPort(model));
                Set<Integer> held = new TreeSet<>();
                for (int i = 0; i < HELD; i++) {
                    Socket c = new Socket(LOOPBACK, ports.get(model));
                    clients.add(c);
                    held.add(c.getLocalPort());
                }
                clientPorts.put(model, held);
                target.awaitOutput(model + " holds " + HELD);
            }
            // the dead acceptor: it takes one connection and dies; the next two wait in the kernel's queue.
            // The one it took is held and never read: its client leaves, so it sits in CLOSE_WAIT.
            int dead = target.awaitPort("dead");
            Socket abandoned = new Socket(LOOPBACK, dead);
            target.awaitOutput("doomed-acceptor died");
            abandoned.close();
            for (int i = 0; i < 2; i++) {
                clients.add(new Socket(LOOPBACK, dead));
            }

            target.attach(OPTIONS);
            HotbindJmx h = target.hotbind();

            // no traffic since the attach, no waiting: everything is there already
            for (String model : models) {
                ObjectName name = h.listenerOnPort(ports.get(model));
                assertNotNull(name, model + ": a listener MBean right after the attach; have " + h.listenerNames());
                assertEquals(BEFORE_ATTACH, h.attribute(name, "BoundAt"), model);
                assertArrayEquals(new String[0], (String[]) h.attribute(name, "BindStackTrace"), model);
                assertEquals(model.contains("channel") || model.equals("selector") ? "ServerSocketChannel"
                        : "ServerSocket", h.attribute(name, "Kind"), model);
                assertEquals(!model.equals("selector"), h.attribute(name, "Blocking"), model);
                assertEquals("127.0.0.1", h.attribute(name, "LocalAddress"), model);
                assertEquals(Boolean.FALSE, h.attribute(name, "ReusePort"), model + ": options read live");
                assertEquals(HELD, h.attribute(name, "OpenConnections"), model + ": connections held since before");
                assertEquals(clientPorts.get(model), peers(h, name, BEFORE_ATTACH), model);
                String[] inAccept = (String[]) h.attribute(name, "AcceptThreads");
                if (model.equals("selector")) {
                    assertArrayEquals(new String[0], inAccept, "a selector loop is in select, not accept");
                } else {
                    assertArrayEquals(new String[] {ACCEPTORS.getOrDefault(model, model + "-acceptor") + " (since "
                            + BEFORE_ATTACH + ")"}, inAccept, model + ": the thread inside accept since before the attach");
                }
            }
            ObjectName deadName = h.listenerOnPort(dead);
            assertNotNull(deadName, "the dead acceptor's listener; have " + h.listenerNames());
            assertArrayEquals(new String[0], (String[]) h.attribute(deadName, "AcceptThreads"));
            assertEquals(1, h.attribute(deadName, "OpenConnections"), "the connection it took before dying");
            String discovery = (String) h.agent("AttachDiscovery");
            assertTrue(discovery.startsWith("found at the attach in "), discovery);
            assertTrue((Double) h.agent("AttachDiscoveryMillis") > 0, discovery);
            assertTrue(target.output().contains("hotbind: found at the attach in "), target.output());

            audits(h, deadName, (Long) h.attribute(deadName, "Id"));
            operations(target, h, ports, clients);
        } finally {
            for (Socket c : clients) {
                c.close();
            }
        }
    }

    /** The first audit after the attach sees the dead acceptor and nothing unmanaged; CLOSE_WAIT follows. */
    private static void audits(HotbindJmx h, ObjectName deadName, long deadId) {
        Poll.until("a first audit", () -> (Long) h.agent("AuditCount") >= 1);
        CompositeData orphan = row(h.agentRows("OrphanedListeners"), "listenerId", deadId);
        assertNotNull(orphan, "the dead acceptor reported by the audit after the attach: "
                + h.agentRows("OrphanedListeners") + " at audit " + h.agent("AuditCount"));
        assertTrue(((String) orphan.get("reason")).contains("since before the attach"), (String) orphan.get("reason"));
        assertEquals(2L, orphan.get("acceptQueueDepth"));
        assertEquals(0, h.agent("UnmanagedListenerCount"), "every listening socket matched: "
                + h.agentRows("UnmanagedListeners"));
        CompositeData closeWait = Poll.value("the abandoned connection reported in CLOSE_WAIT",
                () -> row(h.agentRead("orphanedConnections"), "listenerId", deadId));
        assertEquals("CLOSE_WAIT", closeWait.get("kernelState"));
        assertEquals(BEFORE_ATTACH, closeWait.get("acceptedAt"));
        for (String spinner : List.of("spinning-acceptor", "spinning-channel-acceptor")) {
            CompositeData spinning = Poll.value(spinner + " reported spinning on a listener closed before the attach",
                    () -> row(h.agentRows("OrphanedAcceptThreads"), "thread", spinner));
            assertTrue(((String) spinning.get("reason")).contains("spinning on a closed listener")
                    && ((String) spinning.get("reason")).contains("found it closed (before the attach)"), spinning.toString());
            assertTrue(spinning.get("stackTrace").toString().contains("IdleServersApp.spin"), spinning.toString());
            // the connection it accepted before its close, still open, is its own; the JVM's client end is not
            long closedId = (Long) spinning.get("listenerId");
            CompositeData left = Poll.value(spinner + "'s connection reported open after its listener's close",
                    () -> row(h.agentRead("orphanedConnections"), "listenerId", closedId));
            assertEquals(BEFORE_ATTACH, left.get("acceptedAt"));
            assertTrue(((String) left.get("reason")).contains("still open after its listener was closed (before the attach"),
                    left.toString());
            long ofClosed = h.agentRead("orphanedConnections").stream()
                    .filter(r -> closedId == (Long) r.get("listenerId")).count();
            assertEquals(1, ofClosed, "only the accepted end: " + h.agentRead("orphanedConnections"));
        }
    }

    /**
     * Rebind works on every blocking model, its acceptor waiting since before the attach (a ServerSocket known
     * by its impl, a blocking channel, the main thread, a virtual thread); drain closes what it found.
     */
    private static void operations(TargetJvm target, HotbindJmx h, Map<String, Integer> ports, List<Socket> clients)
            throws Exception {
        for (String model : ports.keySet()) {
            if (model.equals("selector")) {
                continue;
            }
            ObjectName name = h.listenerOnPort(ports.get(model));
            CompositeData answer = h.invoke(name, "rebind");
            assertEquals("renewed", answer.get("kind"), String.valueOf(answer.get("summary")));
            clients.add(new Socket(LOOPBACK, ports.get(model)));
            target.awaitOutput(model + " holds " + (HELD + 1));
        }
        ObjectName selector = h.listenerOnPort(ports.get("selector"));
        CompositeData drained = h.invoke(selector, "drain", new Object[] {300L}, new String[] {"long"});
        assertEquals(HELD, drained.get("forceClosed"), String.valueOf(drained.get("summary")));
        for (Socket c : clients) {
            if (c.getPort() == ports.get("selector")) {
                c.setSoTimeout(10_000);
                assertEquals(-1, readOrTimeout(c), "a drained connection is closed by the drain");
            }
        }
    }

    private static int readOrTimeout(Socket c) throws IOException {
        try {
            return c.getInputStream().read();
        } catch (SocketTimeoutException e) {
            return -2;
        }
    }

    /** The peers' ports of a listener's connection rows, checking each was accepted before the attach. */
    private static Set<Integer> peers(HotbindJmx h, ObjectName listener, String acceptedAt) {
        Set<Integer> ports = new TreeSet<>();
        for (CompositeData row : h.rows(listener, "connections")) {
            assertEquals(acceptedAt, row.get("acceptedAt"), String.valueOf(row));
            assertEquals("", row.get("acceptThread"), String.valueOf(row));
            String remote = (String) row.get("remoteAddress");
            ports.add(Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1)));
        }
        return ports;
    }

    private static CompositeData row(List<CompositeData> rows, String key, Object value) {
        for (CompositeData r : rows) {
            if (value.equals(r.get(key))) {
                return r;
            }
        }
        return null;
    }
}
