package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.LineApp;
import dev.hotbind.it.apps.SlowHttpApp;
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
import java.util.List;
import java.util.Properties;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The drain and socket-policy options: one-line errors where they are typed, effective values shown. */
class PolicyOptionsIT {

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aBadOptionOnTheCommandLineLeavesTheApplicationRunningWithoutHotbind(Jdk jdk) throws Exception {
        try (TargetJvm target = TargetJvm.on(jdk).agentOptions("reuseport=true,keepalive=30s,10s,3")
                .start("ready", SlowHttpApp.class.getName(), "plain")) {
            assertTrue(target.output().contains("hotbind: unknown option '10s'; accepted: history="), target.output());
            assertTrue(target.output().contains("; the application continues without hotbind"), target.output());
            assertEquals("plain", Http.get(target.awaitPort("http"), "/who"));
            assertNull(target.systemProperties().getProperty("hotbind.version"), "hotbind did not start");
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void aBadOptionOnAttachIsReportedToTheCallerAndAGoodOneAppliesThePolicyToListenersAlreadyBound(Jdk jdk)
            throws Exception {
        try (TargetJvm target = TargetJvm.on(jdk).mode(TargetJvm.Mode.NONE)
                .start("ready", SlowHttpApp.class.getName(), "attached")) {
            assertThrows(Exception.class, () -> target.attach("drainOnShutdown=-5s"));
            assertEquals("bad value '-5s' for option 'drainOnShutdown'; expected a duration from 1ms to 24h, a whole "
                    + "number with a unit: ms, s, m or h (e.g. 500ms, 30s, 2m) (on JVM exit, drain every listener for "
                    + "at most that long)", target.systemProperties().getProperty("hotbind.attach.error"));

            target.attach("drainOnShutdown=5s,reuseport=true");
            HotbindJmx jmx = target.hotbind();
            Poll.until("the agent MBean", () -> jmx.agent("Options") != null);
            assertEquals("history=256,drainOnShutdown=5s,reuseport=true,keepalive=off"
                + ",auditInterval=5s,acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off,bindRetry=off,inherit=off", jmx.agent("Options"));
            int port = target.awaitPort("http");
            assertEquals("attached", Http.get(port, "/who"));
            ObjectName listener = jmx.awaitListenerOnPort(port);
            assertEquals(Boolean.TRUE, jmx.attribute(listener, "ReusePort"),
                    "SO_REUSEPORT set on the listener found after the attach");
        }
    }

    /** keepalive=idle/interval/count is set on every accepted connection, as the application reads it and JMX shows it. */
    @ParameterizedTest
    @MethodSource("jdks")
    void keepaliveIsAppliedToAcceptedConnectionsAndShown(Jdk jdk) throws Exception {
        try (TargetJvm target = TargetJvm.on(jdk).agentOptions("keepalive=7s/3s/4").start("ready",
                LineApp.class.getName())) {
            HotbindJmx jmx = target.hotbind();
            assertEquals("history=256,drainOnShutdown=off,reuseport=false,keepalive=7s/3s/4"
                    + ",auditInterval=5s,acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off,bindRetry=off,inherit=off",
                    jmx.agent("Options"));
            int port = target.awaitPort("line");
            ObjectName listener = jmx.awaitListenerOnPort(port);
            assertEquals("keepalive=true idle=7 interval=3 count=4", exchange(port, "options"));

            try (Socket held = send(port, "sleep 4000")) {
                // its own row: the "options" connection may still be listed, closing (its options then read -1)
                String peer = "127.0.0.1:" + held.getLocalPort();
                CompositeData row = Poll.value("the held connection in the listener's connections()",
                        () -> jmx.rows(listener, "connections").stream()
                                .filter(r -> peer.equals(r.get("remoteAddress"))).findFirst().orElse(null));
                assertEquals(Boolean.TRUE, row.get("keepAlive"));
                assertEquals(7, row.get("keepIdleSeconds"));
                assertEquals(3, row.get("keepIntervalSeconds"));
                assertEquals(4, row.get("keepCount"));
                assertTrue(held.isConnected());
            }
            Poll.until("the application closed the held connection",
                    () -> Integer.valueOf(0).equals(jmx.attribute(listener, "OpenConnections")));
        }
    }

    /** A connection to LineApp that has sent {@code line}. */
    private static Socket send(int port, String line) throws IOException {
        Socket socket = new Socket(Http.HOST, port);
        socket.setSoTimeout(30_000);
        new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(line);
        return socket;
    }

    private static String exchange(int port, String line) throws IOException {
        try (Socket socket = send(port, line)) {
            return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
        }
    }
}
