package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.ClosingApp;
import dev.hotbind.it.harness.Client;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A listener closed by the application and one closed through its MBean: both MBeans go away, the
 * application's accept loop sees the close either way, and connections already accepted stay open.
 */
class ListenerCloseIT {

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void closedListenersLeaveTheRegistry(Jdk jdk, Mode mode) throws Exception {
        try (TargetJvm app = TargetJvm.on(jdk).mode(mode).start(ClosingApp.READY, ClosingApp.class.getName())) {
            int classic = app.awaitPort("classic");
            int channel = app.awaitPort("channel");
            HotbindJmx h = app.hotbind();
            MBeanServerConnection jmx = h.connection();
            ObjectName classicName = h.listenerOnPort(classic, mode);
            ObjectName channelName = h.listenerOnPort(channel, mode);
            int listeners = (Integer) h.agent("ListenerCount");

            // closed by the application itself
            command(app, "close classic");
            app.awaitOutput("classic accept loop saw the close");
            Poll.until("the classic listener's MBean unregistered", () -> !HotbindJmx.isRegistered(jmx, classicName));
            assertEquals(listeners - 1, h.agent("ListenerCount"));
            assertTrue(closedPorts(h).contains(classic), "recently closed: " + closedPorts(h));

            // closed by an operator through the MBean, while a connection it accepted is open
            try (Client held = Client.greeted(channel)) {
                Poll.until("the held connection is tracked", () -> h.attribute(channelName, "OpenConnections").equals(1));
                Object id = h.attribute(channelName, "Id");
                CompositeData answer = h.invoke(channelName, "close");
                assertEquals(id, answer.get("listenerId"), String.valueOf(answer.get("summary")));
                assertEquals("127.0.0.1:" + channel, answer.get("address"));
                assertEquals(1, answer.get("connectionsLeftOpen"));
                app.awaitOutput("channel accept loop saw the close");
                Poll.until("the channel listener's MBean unregistered",
                        () -> !HotbindJmx.isRegistered(jmx, channelName));
                assertEquals(listeners - 2, h.agent("ListenerCount"));
                assertThrows(ConnectException.class, () -> Client.connect(channel).close(), "port released");
                assertTrue(h.agentRead("connections").stream()
                        .anyMatch(row -> row.get("remoteAddress").equals("127.0.0.1:" + held.localPort())),
                        "the accepted connection outlives its listener: " + h.agentRead("connections")
                                + " ended: " + h.agentRead("recentlyEndedConnections") + app.output());
                assertFalse(app.output().contains("accept failed"), app.output());
            }
        }
    }

    /**
     * A ServerSocket the application forgets without closing it: once collected, its listener ends as if
     * closed (MBean gone, listed as recently closed) within an audit interval, not minutes later.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void aCollectedListenerIsClosedWithinAnAuditInterval(Jdk jdk, Mode mode) throws Exception {
        try (TargetJvm app = TargetJvm.on(jdk).mode(mode).agentOptions("auditInterval=1s")
                .start(ClosingApp.READY, ClosingApp.class.getName())) {
            HotbindJmx h = app.hotbind();
            MBeanServerConnection jmx = h.connection();
            command(app, "open spare");
            int spare = app.awaitPort("spare");
            ObjectName spareName = h.awaitListenerOnPort(spare);
            assertEquals("BOUND", h.attribute(spareName, "State"));

            command(app, "drop spare");
            app.awaitOutput("spare dropped");
            // a full GC clears the weak reference at once; then one audit interval (1 s) closes the record
            Poll.until("the collected listener's MBean unregistered", Duration.ofSeconds(10),
                    () -> !HotbindJmx.isRegistered(jmx, spareName));
            assertTrue(closedPorts(h).contains(spare), "recently closed: " + closedPorts(h));
        }
    }

    private static java.util.Set<Integer> closedPorts(HotbindJmx h) {
        java.util.Set<Integer> ports = new java.util.TreeSet<>();
        for (CompositeData row : h.agentRows("RecentlyClosedListeners")) {
            if ("CLOSED".equals(row.get("state"))) {
                ports.add((Integer) row.get("port"));
            }
        }
        return ports;
    }

    private static void command(TargetJvm app, String line) throws IOException {
        OutputStream in = app.process().getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
