package dev.hotbind.it.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.OrphanApp;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javax.management.MBeanException;
import javax.management.Notification;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every orphan kind, made for real in one target JVM per JDK and mode ({@link OrphanApp}), must be
 * reported with its thread, listener and reason; closeOrphanedConnections closes those and no other.
 */
class OrphanAuditIT {
    static final String OPTIONS = "auditInterval=200ms,acceptStallThreshold=1s,closeWaitThreshold=1s,spinThreshold=20";

    private final List<Socket> clients = new ArrayList<>();

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void everyOrphanKindIsReportedAndOnlyOrphansAreClosed(Jdk jdk, Mode mode, @org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        TargetJvm.Builder builder = TargetJvm.on(jdk).mode(mode).agentOptions(OPTIONS);
        Path recording = tmp.resolve("audit.jfr");
        if (mode == Mode.JAVAAGENT) {
            builder.jvmArg("-XX:StartFlightRecording=filename=" + recording);
        }
        try (TargetJvm target = builder.start("orphan-app ready", OrphanApp.class.getName())) {
            HotbindJmx hotbind = target.hotbind();
            List<Notification> notifications = new CopyOnWriteArrayList<>();
            hotbind.connection().addNotificationListener(new ObjectName(HotbindJmx.AGENT),
                    (n, handback) -> notifications.add(n), null, null);
            try {
                run(target, hotbind, notifications, mode);
                if (mode == Mode.JAVAAGENT) {
                    assertJfrEvents(target, tmp.resolve("dump.jfr"));
                }
            } finally {
                for (Socket c : clients) {
                    c.close();
                }
            }
        }
    }

    private void run(TargetJvm target, HotbindJmx hotbind, List<Notification> notifications, Mode mode)
            throws Exception {
        int spin = target.awaitPort("spin");
        int dead = target.awaitPort("dead");
        int leak = target.awaitPort("leak");
        int closeWait = target.awaitPort("closewait");
        int careless = target.awaitPort("careless");
        int healthy = target.awaitPort("healthy");
        int nativePort = target.awaitPort("native");

        // two connections each: after an attach the first accept is still the uninstrumented call in progress
        for (int port : new int[] {spin, dead, leak, closeWait, careless}) {
            connect(port);
            connect(port);
        }
        connect(healthy);
        for (int port : new int[] {spin, dead, leak, closeWait, careless, healthy}) {
            hotbind.awaitListenerOnPort(port);
        }
        Socket healthyClient = connect(healthy);
        Poll.until("the healthy connection is registered", () -> hotbind.agentRead("connections").stream()
                .anyMatch(r -> r.get("remoteAddress").toString().endsWith(":" + healthyClient.getLocalPort())));
        long spinId = (Long) hotbind.attribute(hotbind.awaitListenerOnPort(spin), "Id");
        long deadId = (Long) hotbind.attribute(hotbind.awaitListenerOnPort(dead), "Id");
        ObjectName deadBean = hotbind.awaitListenerOnPort(dead);

        command(target, "close spin");
        command(target, "close leak");
        clients.get(6).close();
        clients.get(7).close();

        CompositeData spinner = awaitRow("OrphanedAcceptThreads", () -> hotbind.agentRows("OrphanedAcceptThreads"),
                r -> "spinning-acceptor".equals(r.get("thread")));
        assertEquals(spinId, spinner.get("listenerId"));
        assertEquals("127.0.0.1:" + spin, spinner.get("listenerAddress"));
        assertTrue((Long) spinner.get("failedCalls") >= 20, spinner.toString());
        assertTrue((Double) spinner.get("failuresPerSecond") > 0, spinner.toString());
        assertTrue(spinner.get("reason").toString().contains("spinning on a closed listener"), spinner.toString());
        assertTrue(spinner.get("stackTrace").toString().contains("OrphanApp.spinningAcceptLoop"), spinner.toString());

        CompositeData deadRow = awaitRow("OrphanedListeners", () -> hotbind.agentRows("OrphanedListeners"), r -> r.get("listenerId").equals(deadId));
        assertTrue(deadRow.get("reason").toString().contains("'doomed-acceptor', has died"), deadRow.toString());
        assertEquals("doomed-acceptor", deadRow.get("lastAcceptThread"));
        connect(dead);
        connect(dead);
        CompositeData stalled = awaitRow("OrphanedListeners", () -> hotbind.agentRows("OrphanedListeners"), r -> r.get("listenerId").equals(deadId)
                && r.get("reason").toString().contains("waiting in the kernel's accept queue"));
        assertEquals(2L, stalled.get("acceptQueueDepth"), stalled.toString());
        // the backlog asked at bind is known only when hotbind saw the bind
        long backlog = mode == Mode.JAVAAGENT ? Math.min(50L, somaxconn()) : -1L;
        assertEquals(backlog, stalled.get("backlog"), stalled.toString());
        assertEquals(2L, hotbind.attribute(deadBean, "AcceptQueueDepth"));
        assertEquals(backlog, hotbind.attribute(deadBean, "Backlog"));

        CompositeData leaked = awaitRow("orphanedConnections()", () -> hotbind.agentRead("orphanedConnections"),
                r -> remotePort(r) == clients.get(5).getLocalPort());
        assertEquals("leak-acceptor", leaked.get("acceptThread"));
        assertEquals("127.0.0.1:" + leak, leaked.get("listenerAddress"));
        assertTrue(leaked.get("reason").toString().contains("still open after its listener was closed"),
                leaked.toString());
        CompositeData waiting = awaitRow("orphanedConnections()", () -> hotbind.agentRead("orphanedConnections"),
                r -> remotePort(r) == clients.get(7).getLocalPort());
        assertEquals("CLOSE_WAIT", waiting.get("kernelState"));
        assertEquals("closewait-acceptor", waiting.get("acceptThread"));
        assertTrue(waiting.get("reason").toString().contains("(CLOSE_WAIT)"), waiting.toString());
        CompositeData collected = awaitCollected(target, hotbind);
        assertEquals("127.0.0.1:" + careless, collected.get("listenerAddress"));
        assertTrue(collected.get("reason").toString().contains("garbage-collected"), collected.toString());
        assertFalse(hotbind.agentRead("orphanedConnections").stream()
                .anyMatch(r -> remotePort(r) == healthyClient.getLocalPort()), "a healthy connection is no orphan");

        CompositeData unmanaged = awaitRow("UnmanagedListeners", () -> hotbind.agentRows("UnmanagedListeners"),
                r -> r.get("address").equals("127.0.0.1:" + nativePort));
        assertTrue((Integer) unmanaged.get("fd") >= 0, unmanaged.toString());
        for (int managed : new int[] {dead, closeWait, careless, healthy}) {
            assertFalse(hotbind.agentRows("UnmanagedListeners").stream()
                    .anyMatch(r -> r.get("address").equals("127.0.0.1:" + managed)), "managed port " + managed);
        }
        assertEquals(hotbind.agentRows("UnmanagedListeners").size(), hotbind.agent("UnmanagedListenerCount"));

        // unmanaged listeners may be found before the test subscribes; these three appear after it
        Poll.until("a notification for each orphan kind", () -> Set.of("orphanedAcceptThread", "orphanedListener",
                "orphanedConnection").stream().allMatch(kind -> notifications.stream()
                .anyMatch(n -> n.getType().equals("dev.hotbind.orphan." + kind))));

        closeOrphans(hotbind, healthyClient, mode);
    }

    private void closeOrphans(HotbindJmx hotbind, Socket healthyClient, Mode mode) throws Exception {
        ObjectName agent = new ObjectName(HotbindJmx.AGENT);
        try {
            hotbind.invoke(agent, "closeConnection", new Object[] {999_999L}, new String[] {"long"});
            throw new AssertionError("closing an unknown connection id must fail");
        } catch (MBeanException e) {
            assertEquals(IllegalArgumentException.class, e.getTargetException().getClass(), e.getMessage());
            assertTrue(e.getMessage().contains("no open connection with id 999999"), e.getMessage());
        }
        List<CompositeData> open = hotbind.agentRead("orphanedConnections").stream()
                .filter(r -> r.get("state").equals("OPEN")).toList();
        CompositeData answer = hotbind.invoke(agent, "closeOrphanedConnections");
        assertEquals(open.size(), ((long[]) answer.get("closed")).length, answer.get("summary") + " vs " + open);
        // the leaked connection the registry knows (in attach mode only the second one) now reads end of stream
        Socket leakClient = clients.get(5);
        leakClient.setSoTimeout((int) TimeUnit.SECONDS.toMillis(30));
        assertEquals(-1, leakClient.getInputStream().read(), "the orphan's peer sees it closed");
        healthyClient.getOutputStream().write(42);
        assertEquals(42, healthyClient.getInputStream().read(), "the healthy connection still echoes");
        assertTrue(hotbind.agentRead("orphanedConnections").stream().allMatch(r -> r.get("state").equals("COLLECTED")),
                () -> "only collected ones remain: " + hotbind.agentRead("orphanedConnections") + " " + mode);
    }

    /** Matched by thread: a connection collected before any audit looked at it has no addresses to show. */
    private CompositeData awaitCollected(TargetJvm target, HotbindJmx hotbind) {
        Predicate<CompositeData> wanted = r -> "careless-acceptor".equals(r.get("acceptThread"))
                && "COLLECTED".equals(r.get("state"));
        return Poll.value("the dropped connection reported as garbage-collected", () -> {
            List<CompositeData> found = hotbind.agentRead("orphanedConnections").stream().filter(wanted).toList();
            if (found.isEmpty()) {
                command(target, "gc");
                return null;
            }
            return found.get(0);
        });
    }

    private static void assertJfrEvents(TargetJvm target, Path dump) throws Exception {
        Path bin = target.jdk().home().resolve("bin");
        run(bin.resolve("jcmd").toString(), Long.toString(target.pid()), "JFR.dump", "filename=" + dump);
        String printed = run(bin.resolve("jfr").toString(), "print", "--categories", "hotbind", dump.toString());
        for (String event : new String[] {"dev.hotbind.ListenerBound", "dev.hotbind.ListenerClosed",
            "dev.hotbind.OrphanDetected"}) {
            assertTrue(printed.contains(event), event + " in:\n" + printed);
        }
        assertTrue(printed.contains("spinning-acceptor"), printed);
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ":\n" + out);
        return out;
    }

    static CompositeData awaitRow(String table, Supplier<List<CompositeData>> rows, Predicate<CompositeData> wanted) {
        return Poll.value("a row of " + table, () -> rows.get().stream().filter(wanted).findFirst().orElse(null));
    }

    private static long somaxconn() throws IOException {
        try (java.io.InputStream in = Files.newInputStream(Path.of("/proc/sys/net/core/somaxconn"))) {
            byte[] buffer = new byte[32];
            return Long.parseLong(new String(buffer, 0, in.read(buffer), StandardCharsets.US_ASCII).trim());
        }
    }

    private static int remotePort(CompositeData row) {
        String remote = row.get("remoteAddress").toString();
        return remote.isEmpty() ? -1 : Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1));
    }

    private Socket connect(int port) throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        clients.add(s);
        return s;
    }

    private static void command(TargetJvm target, String line) {
        try {
            OutputStream in = target.process().getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new AssertionError("writing '" + line + "' to the target", e);
        }
    }
}
