package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.DrainTargetApp;
import dev.hotbind.it.harness.Background;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * drain() on the JDK HttpServer (selector model) and a blocking ServerSocket, and keepalive on the
 * connections they accept; one target JVM per JDK, started with -javaagent and keepalive=7s/3s/4.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DrainIT {
    private static final String[] LONG = {"long"};
    private static final String OPTIONS = "keepalive=7s/3s/4";

    private final Map<Integer, TargetJvm> targets = new ConcurrentHashMap<>();

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    private TargetJvm target(Jdk jdk) {
        return targets.computeIfAbsent(jdk.feature(), f -> {
            try {
                return TargetJvm.on(jdk).agentOptions(OPTIONS).start("ready", DrainTargetApp.class.getName());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
    }

    @AfterAll
    void stopTargets() {
        targets.values().forEach(TargetJvm::close);
    }

    @ParameterizedTest
    @MethodSource("jdks")
    @Order(1)
    void keepaliveIsAppliedToAcceptedConnectionsAndShown(Jdk jdk) throws Exception {
        TargetJvm target = target(jdk);
        HotbindJmx jmx = target.hotbind();
        assertEquals("history=256,drainOnShutdown=off,reuseport=false,keepalive=7s/3s/4"
                + ",auditInterval=5s,acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off", jmx.agent("Options"));
        int port = target.awaitPort("line");
        ObjectName listener = jmx.awaitListenerOnPort(port);
        assertEquals("keepalive=true idle=7 interval=3 count=4", exchange(port, "options"));

        try (Socket held = send(port, "sleep 4000")) {
            CompositeData row = Poll.value("the held connection in the listener's Connections", () -> {
                TabularData rows = (TabularData) jmx.attribute(listener, "Connections");
                return rows == null || rows.isEmpty() ? null : (CompositeData) rows.values().iterator().next();
            });
            assertEquals(Boolean.TRUE, row.get("keepAlive"));
            assertEquals(7, row.get("keepIdleSeconds"));
            assertEquals(3, row.get("keepIntervalSeconds"));
            assertEquals(4, row.get("keepCount"));
            assertTrue(held.isConnected());
        }
        Poll.until("the application closed the held connection", () -> Integer.valueOf(0).equals(jmx.attribute(listener, "OpenConnections")));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    @Order(2)
    void badTimeoutsAreRejectedAndChangeNothing(Jdk jdk) throws Exception {
        TargetJvm target = target(jdk);
        HotbindJmx jmx = target.hotbind();
        int port = target.awaitPort("http");
        ObjectName listener = jmx.awaitListenerOnPort(port);
        // 0 too: JConsole pre-fills it, and taken as "force-close at once" one click would cut every client off
        for (long bad : new long[] {0, -1, 86_400_001}) {
            MBeanException refused = assertThrows(MBeanException.class,
                    () -> jmx.invoke(listener, "drain", new Object[] {bad}, LONG));
            assertEquals(IllegalArgumentException.class, refused.getTargetException().getClass(), messages(refused));
            assertTrue(messages(refused).contains("timeoutMillis must be from 1 to 86400000 (24 hours): how long, in "
                    + "ms, the application gets to close its connections"), messages(refused));
            assertTrue(messages(refused).endsWith("; got " + bad + " | "), messages(refused));
        }
        assertEquals("BOUND", jmx.attribute(listener, "State"));
        assertEquals(-1, jmx.attribute(listener, "DrainRemaining"));
        assertEquals("drain-target", Http.get(port, "/who"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    @Order(3)
    void inFlightRequestsCompleteWhileNewClientsAreRefused(Jdk jdk) throws Exception {
        TargetJvm target = target(jdk);
        HotbindJmx jmx = target.hotbind();
        int port = target.awaitPort("http");
        ObjectName listener = jmx.awaitListenerOnPort(port);
        List<CompletableFuture<String>> slow = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            slow.add(Background.start("slow-request", () -> get(port, "/slow?ms=2500")));
        }
        Poll.until("3 slow requests in flight", () -> Integer.valueOf(3).equals(jmx.attribute(listener, "OpenConnections")));

        CompletableFuture<CompositeData> drain = Background.start("drain",
                () -> invoke(jmx, listener, "drain", new Object[] {60_000L}, LONG));
        Poll.until("State DRAINING", () -> "DRAINING".equals(jmx.attribute(listener, "State")));
        // DRAINING from the drain's first instant; it counts the connections once the port is released
        Poll.until("the port released, the drain counting", () -> (Integer) jmx.attribute(listener, "DrainRemaining") >= 0);
        assertTrue(Http.refuses(port), "a new client is refused while draining");
        int remaining = (Integer) jmx.attribute(listener, "DrainRemaining");
        assertTrue(remaining >= 1 && remaining <= 3, "DrainRemaining " + remaining);
        assertTrue(((String) jmx.attribute(listener, "Drain")).startsWith("draining for "));
        // refusals for the listener's state, as the JDK's IllegalStateException
        MBeanException second = assertThrows(MBeanException.class,
                () -> jmx.invoke(listener, "drain", new Object[] {1000L}, LONG));
        assertEquals(IllegalStateException.class, second.getTargetException().getClass(), messages(second));
        assertTrue(messages(second).contains("is already draining for "), messages(second));
        MBeanException rebind = assertThrows(MBeanException.class, () -> jmx.invoke(listener, "rebind"));
        assertEquals(IllegalStateException.class, rebind.getTargetException().getClass(), messages(rebind));
        assertTrue(messages(rebind).contains("is draining (its Drain attribute shows the connections remaining); "
                + "rebind() is possible once the drain has finished"), messages(rebind));

        CompositeData drained = drain.get(60, TimeUnit.SECONDS);
        String summary = (String) drained.get("summary");
        assertEquals(3, drained.get("openAtStart"), summary);
        assertEquals(3L, drained.get("closedByApplication"), summary);
        assertEquals(0, drained.get("forceClosed"), summary);
        assertEquals(false, drained.get("listenerClosed"), summary);
        for (CompletableFuture<String> request : slow) {
            assertEquals("drain-target slept 2500 ms", request.get(30, TimeUnit.SECONDS));
        }
        assertEquals("UNBOUND", jmx.attribute(listener, "State"));
        assertTrue(Http.refuses(port), "still refused after the drain");
        assertTrue(((String) jmx.attribute(listener, "Drain")).startsWith("last drain: drained listener #"));

        jmx.invoke(listener, "rebind");
        ObjectName rebound = jmx.awaitListenerOnPort(port);
        assertEquals("BOUND", jmx.attribute(rebound, "State"));
        assertEquals("drain-target", Http.get(port, "/who"));
    }

    @ParameterizedTest
    @MethodSource("jdks")
    @Order(4)
    void aShortTimeoutForceClosesTheRestAndCountsThem(Jdk jdk) throws Exception {
        TargetJvm target = target(jdk);
        HotbindJmx jmx = target.hotbind();
        int port = target.awaitPort("line");
        ObjectName listener = jmx.awaitListenerOnPort(port);
        try (Socket first = send(port, "sleep 60000"); Socket second = send(port, "sleep 60000")) {
            Poll.until("2 held connections", () -> Integer.valueOf(2).equals(jmx.attribute(listener, "OpenConnections")));
            CompositeData drained = jmx.invoke(listener, "drain", new Object[] {300L}, LONG);
            String summary = (String) drained.get("summary");
            assertEquals(0L, drained.get("closedByApplication"), summary);
            assertEquals(2, drained.get("forceClosed"), summary);
            assertTrue(summary.lines().anyMatch("2 force-closed when the 300 ms timeout passed"::equals), summary);
            assertEquals(-1, first.getInputStream().read(), "the client sees its connection closed");
            assertEquals(-1, second.getInputStream().read());
        }
        assertTrue(Http.refuses(port));
        CompositeData closed = jmx.invoke(listener, "close");
        assertEquals("127.0.0.1:" + port, closed.get("address"), String.valueOf(closed.get("summary")));
        assertEquals(0, closed.get("connectionsLeftOpen"));
        // gone when close() answered
        assertFalse(HotbindJmx.isRegistered(jmx.connection(), listener), listener + " still answers after close()");
    }

    private static Socket send(int port, String line) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
        return socket;
    }

    private static String exchange(int port, String line) throws IOException {
        try (Socket socket = send(port, line)) {
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }

    private static String get(int port, String path) {
        try {
            return Http.get(port, path);
        } catch (IOException e) {
            return "failed: " + e;
        }
    }

    private static CompositeData invoke(HotbindJmx jmx, ObjectName name, String operation, Object[] args, String[] signature) {
        try {
            return jmx.invoke(name, operation, args, signature);
        } catch (Exception e) {
            throw new AssertionError(messages(e), e);
        }
    }

    /** Every message in the cause chain: JMX wraps hotbind's answer. */
    static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c.getMessage()).append(" | ");
        }
        return out.toString();
    }
}
