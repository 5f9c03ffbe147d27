package dev.hotbind.it.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.AcceptModelsApp;
import dev.hotbind.it.harness.FlightRecordings;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.rebind.RebindIT;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A listener with backlog 4 whose acceptor is paused gets a burst of connections: within a bounded
 * poll the audit reports it in SaturatedListeners (depth against backlog, how often seen full, what to
 * do), sends the saturation notification once, records a ListenerSaturated JFR event, and the
 * namespace's ListenOverflows has grown. On every JDK, with -javaagent and after an attach (where the
 * backlog the application bound with is unknown to hotbind until setBacklog gives it).
 */
class SaturationIT {
    private static final int BACKLOG = 4;
    /** Well beyond what the queue takes (the backlog, plus one on Linux): the rest are dropped handshakes. */
    private static final int BURST = 16;
    private static final String NOTIFICATION = "dev.hotbind.saturation.saturatedListener";

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void aPausedAcceptorUnderABurstIsReportedSaturated(Jdk jdk, TargetJvm.Mode mode) throws Exception {
        Path folder = Files.createTempDirectory("hotbind-saturation");
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).agentOptions("auditInterval=200ms")
                .jvmArg("-D" + AcceptModelsApp.SOCKET_BACKLOG + "=" + BACKLOG).jvmArg(FlightRecordings.JVM_ARG)
                .start("accept-models ready", AcceptModelsApp.class.getName())) {
            HotbindJmx hotbind = target.hotbind();
            int port = target.awaitPort("socket");
            ObjectName listener = hotbind.listenerOnPort(port, mode);
            long id = (Long) hotbind.attribute(listener, "Id");
            if (mode == TargetJvm.Mode.ATTACH) {
                assertEquals(-1L, hotbind.attribute(listener, "Backlog"), "bound before the attach: not known");
                hotbind.invoke(listener, "setBacklog", new Object[] {BACKLOG}, new String[] {Integer.class.getName()});
            }
            assertEquals((long) BACKLOG, hotbind.attribute(listener, "Backlog"));
            Poll.until("an audit ran", () -> (Long) hotbind.agent("AuditCount") > 0);
            assertEquals(null, row(hotbind, id), "served: not saturated");
            long overflowsBefore = (Long) hotbind.agent("ListenOverflows");
            assertTrue(overflowsBefore >= 0, "the namespace's counters are read");
            List<Notification> received = new CopyOnWriteArrayList<>();
            hotbind.connection().addNotificationListener(new ObjectName(HotbindJmx.AGENT),
                    (n, handback) -> received.add(n), null, null);

            target.send("pause socket");
            target.awaitOutput("pause socket noted");
            assertTrue(RebindIT.served(port), "the connection after which the acceptor pauses");
            target.awaitOutput("socket paused");
            List<SocketChannel> burst = new ArrayList<>();
            try {
                for (int i = 0; i < BURST; i++) {
                    SocketChannel c = SocketChannel.open();
                    burst.add(c);
                    c.configureBlocking(false);
                    c.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                }
                CompositeData r = Poll.value("listener #" + id + " in SaturatedListeners", Duration.ofSeconds(20),
                        () -> row(hotbind, id));
                System.out.println("SaturationIT " + jdk + " " + mode + ": " + r.values());
                assertEquals((long) BACKLOG, r.get("backlog"), r.toString());
                assertTrue((Long) r.get("acceptQueueDepth") >= BACKLOG, r.toString());
                assertTrue((Long) r.get("timesSeenFull") >= 1, r.toString());
                assertTrue(((String) r.get("suggestion")).startsWith("raise the backlog (setBacklog"), r.toString());
                Poll.until("the saturation notification (" + received + ")", () -> received.stream().anyMatch(
                        n -> n.getType().equals(NOTIFICATION) && ("saturatedListener:" + id).equals(n.getUserData())));
                Poll.until("ListenOverflows grew", () -> (Long) hotbind.agent("ListenOverflows") > overflowsBefore);
                Poll.until("seen full at later audits too", () -> row(hotbind, id) != null
                        && (Long) row(hotbind, id).get("timesSeenFull") >= 2);
            } finally {
                for (SocketChannel c : burst) {
                    c.close();
                }
                target.send("resume socket");
            }
            Poll.until("served again once resumed", () -> RebindIT.served(port));
            assertEquals(1, received.stream().filter(n -> n.getType().equals(NOTIFICATION)).count(),
                    "notified once while it lasts: " + received);

            List<RecordedEvent> events = new ArrayList<>();
            FlightRecordings.dump(target, folder.resolve("saturation.jfr"), events);
            List<RecordedEvent> saturated = FlightRecordings.all(events, "dev.hotbind.ListenerSaturated");
            assertEquals(1, saturated.size(), saturated.toString());
            assertEquals(id, saturated.get(0).getLong("listenerId"));
            assertEquals(BACKLOG, saturated.get(0).getLong("backlog"));
            assertTrue(saturated.get(0).getLong("acceptQueueDepth") >= BACKLOG, saturated.toString());
        } finally {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(folder);
        }
    }

    private static CompositeData row(HotbindJmx hotbind, long id) {
        for (CompositeData r : hotbind.agentRows("SaturatedListeners")) {
            if (Long.valueOf(id).equals(r.get("listenerId"))) {
                return r;
            }
        }
        return null;
    }
}
