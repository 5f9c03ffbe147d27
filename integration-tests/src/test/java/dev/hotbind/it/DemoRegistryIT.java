package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.harness.Client;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanException;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenMBeanOperationInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo's four listeners as hotbind shows them over JMX, on every JDK, with -javaagent and after a
 * dynamic attach. One demo JVM per JDK and mode serves every test of this class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoRegistryIT {
    private static final Map<String, String> KINDS = Map.of("classic", "ServerSocket",
            "channel", "ServerSocketChannel", "selector", "ServerSocketChannel", "httpserver", "ServerSocketChannel");
    /** Where each style binds, and the thread that accepts its connections. */
    private static final Map<String, String> BINDERS = Map.of("classic", "dev.hotbind.demo.ClassicListener.start",
            "channel", "dev.hotbind.demo.ChannelListener.start", "selector", "dev.hotbind.demo.SelectorListener.start",
            "httpserver", "dev.hotbind.demo.HttpListener.start");
    private static final Map<String, String> ACCEPTORS = Map.of("classic", "demo-classic-acceptor",
            "channel", "demo-channel-acceptor", "selector", "demo-selector-loop", "httpserver", "HTTP-Dispatcher");
    private static final int CLIENTS = 3;

    private final Map<String, DemoTarget> targets = new HashMap<>();

    private synchronized DemoTarget target(Jdk jdk, Mode mode) throws Exception {
        String key = jdk + " " + mode;
        DemoTarget target = targets.get(key);
        if (target == null) {
            target = DemoTarget.start(jdk, mode);
            targets.put(key, target);
        }
        return target;
    }

    @AfterAll
    void stopTargets() {
        targets.values().forEach(DemoTarget::close);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void eachListenerHasItsPortKindStateAndBindSite(Jdk jdk, Mode mode) throws Exception {
        DemoTarget t = target(jdk, mode);
        HotbindJmx h = t.hotbind();
        for (String style : DemoTarget.STYLES) {
            ObjectName name = t.names.get(style);
            int port = t.ports.get(style);
            assertEquals("127.0.0.1 port " + port, name.getKeyProperty("name"),
                    "JConsole's tree shows the address, unquoted");
            assertEquals(String.valueOf(h.attribute(name, "Id")), name.getKeyProperty("id"), "the id key a script keeps");
            assertEquals("Listener", name.getKeyProperty("type"));
            assertEquals(port, h.attribute(name, "LocalPort"), style);
            assertEquals("127.0.0.1", h.attribute(name, "LocalAddress"), style);
            assertEquals("127.0.0.1:" + port, h.attribute(name, "Address"), style);
            assertEquals(KINDS.get(style), h.attribute(name, "Kind"), style);
            assertEquals("BOUND", h.attribute(name, "State"), style);
            String[] stack = (String[]) h.attribute(name, "BindStackTrace");
            if (mode == Mode.JAVAAGENT) {
                String firstOfDemo = Arrays.stream(stack).filter(f -> f.startsWith("dev.hotbind.demo."))
                        .findFirst().orElse("none in " + Arrays.toString(stack));
                assertTrue(firstOfDemo.startsWith(BINDERS.get(style) + "("), style + " bound at " + firstOfDemo);
                assertEquals("main", h.attribute(name, "BindThread"), style);
                assertTrue(((String) h.attribute(name, "BoundAt")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), style);
                assertEquals(0L, t.acceptedWhenFound.get(style), style + " accepted nothing yet");
            } else {
                assertEquals(0L, t.acceptedWhenFound.get(style), style + ": found idle at the attach, nothing accepted");
                assertEquals(0, stack.length, style + ": bound before the attach, no stack: " + Arrays.toString(stack));
                assertEquals("before hotbind was attached", h.attribute(name, "BoundAt"), style);
            }
        }
        Set<ObjectName> all = h.listenerNames();
        assertTrue(all.containsAll(t.names.values()), "dev.hotbind:type=Listener,* lists them all: " + all);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void blockingAcceptorsAreNamedWhileTheyWait(Jdk jdk, Mode mode) throws Exception {
        DemoTarget t = target(jdk, mode);
        HotbindJmx h = t.hotbind();
        for (String style : List.of("classic", "channel")) {
            ObjectName name = t.names.get(style);
            Poll.until(style + " acceptor inside accept", () -> {
                String[] threads = (String[]) h.attribute(name, "AcceptThreads");
                return threads.length == 1 && threads[0].startsWith(ACCEPTORS.get(style) + " (since ");
            });
            assertEquals(Boolean.TRUE, h.attribute(name, "Blocking"), style);
        }
        for (String style : List.of("selector", "httpserver")) {
            assertEquals(Boolean.FALSE, h.attribute(t.names.get(style), "Blocking"), style);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void connectionsAreCountedListedAndRetired(Jdk jdk, Mode mode) throws Exception {
        DemoTarget t = target(jdk, mode);
        HotbindJmx h = t.hotbind();
        for (String style : DemoTarget.STYLES) {
            ObjectName name = t.names.get(style);
            long id = (Long) h.attribute(name, "Id");
            long before = (Long) h.attribute(name, "AcceptedCount");
            List<Client> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(t.open(style));
            }
            Set<Integer> clientPorts = clients.stream().map(Client::localPort).collect(Collectors.toCollection(TreeSet::new));
            Poll.until(style + " accepted " + CLIENTS + " more than " + before,
                    () -> h.attribute(name, "AcceptedCount").equals(before + CLIENTS));
            try {
                Poll.until(style + " has " + CLIENTS + " open connections",
                        () -> h.attribute(name, "OpenConnections").equals(CLIENTS));
            } catch (AssertionError e) {
                // seen once in a full run (JDK HttpServer, -javaagent): say what was open instead
                throw new AssertionError(e.getMessage() + "; OpenConnections " + h.attribute(name, "OpenConnections")
                        + ", our clients " + clientPorts + ", rows " + rowsOf(h.agentRead("connections"), id)
                        + ", accepted when found " + t.acceptedWhenFound.get(style), e);
            }
            List<CompositeData> rows = rowsOf(h.agentRead("connections"), id);
            assertEquals(clientPorts, remotePorts(rows), style + " connections in the Agent table");
            for (CompositeData row : rows) {
                assertEquals("127.0.0.1:" + t.ports.get(style), row.get("localAddress"), style);
                assertEquals("127.0.0.1:" + t.ports.get(style), row.get("listenerAddress"), style);
                assertEquals(ACCEPTORS.get(style), row.get("acceptThread"), style);
                assertEquals("OPEN", row.get("state"), style);
            }
            assertEquals(clientPorts, remotePorts(rowsOf(h.rows(name, "connections"), id)),
                    style + " connections on the listener");
            for (Client c : clients) {
                c.close();
            }
            Poll.until(style + " connections gone once client and server closed them",
                    () -> rowsOf(h.agentRead("connections"), id).isEmpty()
                            && h.attribute(name, "OpenConnections").equals(0));
            List<CompositeData> ended = rowsOf(h.agentRead("recentlyEndedConnections"), id);
            Set<Integer> endedPorts = remotePorts(ended);
            assertTrue(endedPorts.containsAll(clientPorts), style + " recently ended: " + endedPorts);
            assertEquals(before + CLIENTS, h.attribute(name, "AcceptedCount"), style + " count not doubled");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void agentSummarisesListenersAndConnections(Jdk jdk, Mode mode) throws Exception {
        DemoTarget t = target(jdk, mode);
        HotbindJmx h = t.hotbind();
        List<CompositeData> listeners = h.agentRows("Listeners");
        Map<Integer, CompositeData> byPort = new HashMap<>();
        listeners.forEach(row -> byPort.put((Integer) row.get("port"), row));
        for (String style : DemoTarget.STYLES) {
            CompositeData row = byPort.remove(t.ports.get(style));
            assertEquals(KINDS.get(style), row.get("kind"), style);
            assertEquals("BOUND", row.get("state"), style);
        }
        // the only other listener is the JMX connector this test reaches the target through
        assertEquals(1, byPort.size(), "listeners besides the demo's: " + byPort);
        String other = h.attribute(h.listenerOnPort(byPort.keySet().iterator().next()), "AcceptThreads") + " "
                + String.join(" ", (String[]) h.attribute(h.listenerOnPort(byPort.keySet().iterator().next()),
                        "BindStackTrace"));
        assertTrue(other.contains("sun.rmi") || other.contains("RMI TCP Accept"), other);
        for (int port : t.ports.values()) {
            assertNull(h.listenerOnPort(port).getKeyProperty("role"), "only the JMX connector has a role");
        }
        assertEquals(5, h.agent("ListenerCount"));
        assertEquals(5, h.listenerNames().size());
        try (Client a = t.open("classic"); Client b = t.open("selector")) {
            Poll.until("OpenConnectionCount matches the Connections table with both clients in it", () -> {
                int count = (Integer) h.agent("OpenConnectionCount");
                List<CompositeData> rows = h.agentRead("connections");
                Set<Integer> remote = remotePorts(rows);
                return count == rows.size() && remote.contains(a.localPort()) && remote.contains(b.localPort());
            });
        }
        assertEquals("0.1.0-SNAPSHOT", h.agent("Version"));
        assertEquals("history=256,drainOnShutdown=off,reuseport=false,keepalive=off,auditInterval=5s,"
                + "acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off,bindRetry=off,inherit=off", h.agent("Options"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void everyAttributeAndOperationIsDescribed(Jdk jdk, Mode mode) throws Exception {
        DemoTarget t = target(jdk, mode);
        HotbindJmx h = t.hotbind();
        for (ObjectName name : List.of(new ObjectName(HotbindJmx.AGENT), t.names.get("classic"))) {
            MBeanInfo info = h.connection().getMBeanInfo(name);
            assertFalse(info.getDescription().isBlank(), name.toString());
            for (MBeanAttributeInfo a : info.getAttributes()) {
                assertFalse(a.getDescription() == null || a.getDescription().isBlank() || a.getDescription()
                        .equals(a.getName()), name + " attribute " + a.getName() + ": " + a.getDescription());
                assertFalse(a.isWritable(), a.getName());
            }
            for (MBeanOperationInfo op : info.getOperations()) {
                assertFalse(op.getDescription().isBlank(), name + " operation " + op.getName());
                for (MBeanParameterInfo p : op.getSignature()) {
                    assertFalse(p.getName().matches("p\\d+"), op.getName() + " parameter " + p.getName());
                    assertFalse(p.getDescription().isBlank(), op.getName() + " parameter " + p.getName());
                }
            }
        }
        MBeanInfo listener = h.connection().getMBeanInfo(t.names.get("classic"));
        MBeanOperationInfo close = Arrays.stream(listener.getOperations()).filter(o -> o.getName().equals("close"))
                .findFirst().orElseThrow();
        assertEquals(0, close.getSignature().length);
        // open data: typed fields plus a summary a person reads
        assertEquals(CompositeData.class.getName(), close.getReturnType());
        CompositeType answer = (CompositeType) ((OpenMBeanOperationInfo) close).getReturnOpenType();
        assertTrue(answer.keySet().containsAll(List.of("listenerId", "address", "connectionsLeftOpen", "summary", "Facts")),
                answer.keySet().toString());
        assertEquals(MBeanOperationInfo.ACTION, close.getImpact());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void agentOpensNoPortAndRunsOnlyNamedDaemonThreads(Jdk jdk, Mode mode) throws Exception {
        DemoTarget t = target(jdk, mode);
        if (t.listeningBeforeJmx != null) {
            assertEquals(new TreeSet<>(t.ports.values()), t.listeningBeforeJmx,
                    "the kernel's listeners of the target are exactly the demo's");
        }
        ThreadMXBean threads = ManagementFactory.newPlatformMXBeanProxy(t.hotbind().connection(),
                ManagementFactory.THREAD_MXBEAN_NAME, ThreadMXBean.class);
        List<String> ours = new ArrayList<>();
        for (ThreadInfo info : threads.dumpAllThreads(false, false)) {
            if (info.getThreadName().startsWith("hotbind") || runsHotbindCode(info.getStackTrace())) {
                ours.add(info.getThreadName());
                assertTrue(info.getThreadName().startsWith("hotbind-"), "named hotbind-*: " + info.getThreadName());
                assertTrue(info.isDaemon(), "daemon: " + info.getThreadName());
            }
        }
        assertTrue(ours.contains("hotbind-jmx"), "hotbind's threads: " + ours);
        assertFalse(t.jvm.output().contains("sun.misc.Unsafe"), "no Unsafe warning:\n" + t.jvm.output());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void theJvmsOwnJmxConnectorIsNotCutOff(Jdk jdk, Mode mode) throws Exception {
        DemoTarget t = target(jdk, mode);
        HotbindJmx jmx = t.hotbind();
        ObjectName connector = Poll.value("the JMX connector's own listener", () -> {
            for (ObjectName name : jmx.listenerNames()) {
                if (!t.ports.containsValue(jmx.attribute(name, "LocalPort"))) {
                    return name;
                }
            }
            return null;
        });
        // marked in its name, so it stands out in JConsole's tree
        assertEquals("JVM JMX connector", connector.getKeyProperty("role"), connector.toString());
        assertEquals(Boolean.TRUE, jmx.attribute(connector, "JvmManagementConnector"));
        for (String operation : new String[] {"close", "unbind"}) {
            MBeanException refused = assertThrows(MBeanException.class, () -> jmx.invoke(connector, operation));
            // a refusal, not a bad argument: the JDK's IllegalStateException, which any client deserializes
            assertEquals(IllegalStateException.class, refused.getTargetException().getClass(), refused.getMessage());
            assertTrue(refused.getMessage().contains("the JVM's own JMX connector"), refused.getMessage());
        }
        assertEquals("BOUND", jmx.attribute(connector, "State"), "still serving the console we talk through");
    }

    /** The thread's outermost code that is not the JDK's is the agent's (not the demo's). */
    private static boolean runsHotbindCode(StackTraceElement[] stack) {
        for (int i = stack.length - 1; i >= 0; i--) {
            String c = stack[i].getClassName();
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                continue;
            }
            return c.startsWith("dev.hotbind.") && !c.startsWith("dev.hotbind.demo.");
        }
        return false;
    }

    private static List<CompositeData> rowsOf(java.util.Collection<?> rows, long listenerId) {
        List<CompositeData> out = new ArrayList<>();
        for (Object row : rows) {
            CompositeData data = (CompositeData) row;
            if (data.get("listenerId").equals(listenerId)) {
                out.add(data);
            }
        }
        return out;
    }

    private static Set<Integer> remotePorts(List<CompositeData> rows) {
        Set<Integer> ports = new TreeSet<>();
        for (CompositeData row : rows) {
            String remote = (String) row.get("remoteAddress");
            ports.add(Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1)));
        }
        return ports;
    }
}
