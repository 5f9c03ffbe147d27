package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.HoldingServerApp;
import dev.hotbind.it.harness.FreePort;
import dev.hotbind.it.harness.FlightRecordings;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.management.ObjectName;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hotbind's JFR events as JDK Mission Control reads them: a recording started with the target JVM,
 * every operation performed through JMX, the recording dumped with jcmd and read with
 * {@code jdk.jfr.consumer}.
 */
class JfrIT {
    private static final Set<String> TYPES = Set.of("dev.hotbind.ListenerBound", "dev.hotbind.ListenerClosed",
            "dev.hotbind.ListenerRebound", "dev.hotbind.ListenerUnbound", "dev.hotbind.DrainStarted",
            "dev.hotbind.DrainEnded", "dev.hotbind.OrphanDetected", "dev.hotbind.BindRetried", "dev.hotbind.ListenerSaturated");

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    /**
     * A recording started after hotbind (by jcmd, as an operator does) lists every hotbind type ahead too:
     * hotbind registers them when the recorder starts, not at its own start, where they would cost
     * 200 ms of CPU that a JVM nobody records never needs.
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void aRecordingStartedAfterHotbindListsEveryTypeAhead(Jdk jdk, Mode mode) throws Exception {
        Path folder = Files.createTempDirectory("hotbind-jfr-later");
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode)
                .start(HoldingServerApp.READY, HoldingServerApp.class.getName(), "held")) {
            target.hotbind().awaitListenerOnPort(target.awaitPort("held"));
            FlightRecordings.start(target);
            Set<String> declared = FlightRecordings.dump(target, folder.resolve("later.jfr"), new ArrayList<>());
            assertTrue(declared.containsAll(TYPES), "hotbind types in the metadata ahead: " + declared);
        } finally {
            deleteTree(folder);
        }
    }

    @ParameterizedTest(name = "{0} target")
    @MethodSource("jdks")
    void everyOperationIsAnEventTimedByItsDurationAndEveryTypeIsInTheMetadataAhead(Jdk jdk) throws Exception {
        Path folder = Files.createTempDirectory("hotbind-jfr");
        try (TargetJvm target = TargetJvm.on(jdk).mode(Mode.JAVAAGENT).jvmArg(FlightRecordings.JVM_ARG)
                .start(HoldingServerApp.READY, HoldingServerApp.class.getName(), "moved", "parked", "drained")) {
            HotbindJmx hotbind = target.hotbind();
            ObjectName moved = hotbind.awaitListenerOnPort(target.awaitPort("moved"));
            ObjectName parked = hotbind.awaitListenerOnPort(target.awaitPort("parked"));
            int drainedPort = target.awaitPort("drained");
            ObjectName drained = hotbind.awaitListenerOnPort(drainedPort);
            long movedId = (Long) hotbind.attribute(moved, "Id");
            long parkedId = (Long) hotbind.attribute(parked, "Id");
            long drainedId = (Long) hotbind.attribute(drained, "Id");

            // before any operation: every type is listed, none of the operations' events has fired
            List<RecordedEvent> before = new ArrayList<>();
            Set<String> declared = FlightRecordings.dump(target, folder.resolve("before.jfr"), before);
            assertTrue(declared.containsAll(TYPES), "hotbind types in the metadata ahead: " + declared);
            assertTrue(before.stream().noneMatch(e -> e.getEventType().getName().startsWith("dev.hotbind.Drain")),
                    before.toString());

            hotbind.invoke(moved, "rebind");
            int newPort = FreePort.pick();
            hotbind.invoke(moved, "rebindTo", new Object[] {"127.0.0.1:" + newPort},
                    new String[] {String.class.getName()});
            hotbind.invoke(parked, "unbind");
            hotbind.invoke(parked, "rebind");
            try (Socket held = new Socket(InetAddress.getLoopbackAddress(), drainedPort)) {
                Poll.until("the held connection accepted", () -> (Integer) hotbind.attribute(drained,
                        "OpenConnections") == 1);
                hotbind.invoke(drained, "drain", new Object[] {500L}, new String[] {Long.class.getName()});
            }
            hotbind.invoke(drained, "close");

            List<RecordedEvent> events = new ArrayList<>();
            FlightRecordings.dump(target, folder.resolve("after.jfr"), events);

            RecordedEvent bound = one(events, "dev.hotbind.ListenerBound", movedId);
            assertEquals("ServerSocket", bound.getString("kind"));
            assertEquals(50, bound.getInt("backlog"));
            assertTrue(bound.getStackTrace() != null && bound.getStackTrace().getFrames().stream().anyMatch(
                    f -> isMethod(f, HoldingServerApp.class.getName(), "main")), "bind stack on " + bound);

            List<RecordedEvent> rebinds = FlightRecordings.all(events, "dev.hotbind.ListenerRebound");
            assertEquals(3, rebinds.size(), rebinds.toString());
            RecordedEvent samePort = kind(rebinds, "same-port");
            assertEquals(movedId, samePort.getLong("listenerId"));
            assertEquals(samePort.getString("oldAddress"), samePort.getString("newAddress"));
            RecordedEvent rebindTo = kind(rebinds, "rebindTo");
            assertEquals(movedId, rebindTo.getLong("listenerId"));
            assertEquals("127.0.0.1:" + newPort, rebindTo.getString("newAddress"));
            RecordedEvent resumed = kind(rebinds, "from UNBOUND");
            assertEquals(parkedId, resumed.getLong("listenerId"));
            for (RecordedEvent r : rebinds) {
                assertTimedSwap(r);
                assertEquals(0, r.getInt("handedOver"), r.toString());
            }

            List<RecordedEvent> unbinds = FlightRecordings.all(events, "dev.hotbind.ListenerUnbound");
            assertEquals(Set.of(parkedId, drainedId), ids(unbinds), "unbind, and the drain's own: " + unbinds);
            unbinds.forEach(JfrIT::assertTimedSwap);

            RecordedEvent started = one(events, "dev.hotbind.DrainStarted", drainedId);
            assertEquals(1, started.getInt("openConnections"));
            assertEquals(Duration.ofMillis(500), started.getDuration("timeout"));
            RecordedEvent ended = one(events, "dev.hotbind.DrainEnded", drainedId);
            assertEquals(1, ended.getInt("openAtStart"));
            assertEquals(1, ended.getInt("forceClosed"));
            assertEquals(0L, ended.getLong("closedByApplication"));
            assertEquals(0, ended.getInt("leftOpen"));
            assertTrue(ended.getDuration().toMillis() >= 450, "the drain waited its 500 ms: " + ended);

            RecordedEvent closed = one(events, "dev.hotbind.ListenerClosed", drainedId);
            assertEquals(1L, closed.getLong("acceptedCount"));
        } finally {
            deleteTree(folder);
        }
    }

    /** The recordings' folder: flat, so its files then itself. */
    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.deleteIfExists(f);
            }
        }
        Files.deleteIfExists(folder);
    }

    /** The swap is the event's own duration; the pause hotbind measured inside it cannot be longer. */
    private static void assertTimedSwap(RecordedEvent e) {
        assertTrue(!e.getDuration().isZero(), "a duration on " + e);
        assertTrue(e.getDuration().compareTo(e.getDuration("pause")) >= 0, "the pause lies within the swap: " + e);
    }

    private static boolean isMethod(RecordedFrame frame, String type, String method) {
        return frame.getMethod().getType().getName().equals(type) && frame.getMethod().getName().equals(method);
    }

    private static RecordedEvent one(List<RecordedEvent> events, String type, long listenerId) {
        List<RecordedEvent> found = FlightRecordings.all(events, type).stream().filter(e -> e.getLong("listenerId") == listenerId)
                .toList();
        assertEquals(1, found.size(), type + " for listener " + listenerId + ": " + found);
        return found.get(0);
    }

    private static RecordedEvent kind(List<RecordedEvent> rebinds, String kind) {
        return rebinds.stream().filter(e -> kind.equals(e.getString("rebindKind"))).findFirst()
                .orElseThrow(() -> new AssertionError("no rebind of kind " + kind + " in " + rebinds));
    }

    private static Set<Long> ids(List<RecordedEvent> events) {
        Set<Long> ids = new TreeSet<>();
        events.forEach(e -> ids.add(e.getLong("listenerId")));
        return ids;
    }
}
