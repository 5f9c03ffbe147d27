package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.hotbind.it.apps.HoldingServerApp;
import dev.hotbind.it.harness.Background;
import dev.hotbind.it.harness.Cli;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code java -jar hotbind-agent.jar ...} as an operator runs it, against real target JVMs. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CliIT {
    private static final Jdk HOME = Jdk.all().get(0);

    private final List<TargetJvm> targets = new ArrayList<>();
    private TargetJvm agentTarget;

    @AfterAll
    void stopTargets() {
        targets.forEach(TargetJvm::close);
    }

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0} target")
    @MethodSource("jdks")
    void attachChecksOptionsLoadsOnceAndListShowsTheListener(Jdk jdk) throws Exception {
        TargetJvm target = start(TargetJvm.on(jdk).mode(Mode.NONE));
        int port = target.awaitPort("holding");
        String pid = Long.toString(target.pid());
        Jdk cli = otherThan(jdk);

        assertFails(1, "hotbind is not loaded in pid " + pid + "; load it with: java -jar hotbind-agent.jar attach "
                + pid, Cli.run(cli, "list", pid));
        assertFails(2, "bad agent options 'histroy=5': unknown option 'histroy'; accepted: history=",
                Cli.run(cli, "attach", pid, "histroy=5"));
        assertTrue(target.process().isAlive());
        assertFalse(target.output().contains("hotbind"), "a refused option reaches no target:\n" + target.output());

        Cli.Result attach = Cli.run(cli, "attach", pid);
        assertEquals(0, attach.exitCode(), attach.toString());
        assertTrue(Pattern.compile("^hotbind \\S+ loaded into pid " + pid + " \\(Java " + jdk.feature()
                + "[.\\d]*, dev.hotbind.it.apps.HoldingServerApp\\)\n"
                + "see its listeners: java -jar hotbind-agent.jar list " + pid + "; or JConsole")
                .matcher(attach.out()).find(), attach.toString());
        assertEquals(jdk.feature() >= 21, attach.out().contains("(JEP 451)"), attach.toString());

        // bound before the attach: seen once its accept loop returns from accept
        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Pattern row = Pattern.compile("(?m)^\\d+\\s+ServerSocket\\s+127\\.0\\.0\\.1:" + port
                    + "\\s+BOUND\\s+\\d+\\s+\\d+\\s+holding-acceptor \\(since ");
            Poll.until("list shows the listener on port " + port + " with its accept thread", () -> {
                Cli.Result list = run(cli, "list", pid);
                assertEquals(0, list.exitCode(), list.toString());
                assertTrue(list.out().startsWith("pid " + pid + ", hotbind "), list.toString());
                return row.matcher(list.out()).find();
            });
        }

        Cli.Result again = Cli.run(cli, "attach", pid);
        assertEquals(0, again.exitCode(), again.toString());
        assertTrue(Pattern.compile("^hotbind \\S+ is already loaded in pid " + pid + "; nothing done\n")
                .matcher(again.out()).find(), again.toString());
        assertFalse(target.output().contains("already running"), "a second attach loads nothing:\n"
                + target.output());

        // a repeat attach with options: those that can change do, at once, and it says so
        assertFalse(joins(port), "the port is not shared before reuseport=true");
        Cli.Result changed = Cli.run(cli, "attach", pid, "reuseport=TRUE,auditInterval=1s");
        assertEquals(0, changed.exitCode(), changed.toString());
        assertTrue(changed.out().startsWith("hotbind " + version(attach) + " already runs in pid " + pid
                + "; changed reuseport false -> true, auditInterval 5s -> 1s; in effect: history=256,"), changed.toString());
        String options = "history=256,drainOnShutdown=off,reuseport=true,keepalive=off,auditInterval=1s"
                + ",acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off";
        assertEquals(options, target.hotbind().agent("Options"));
        assertEquals(Boolean.TRUE, target.hotbind().attribute(target.hotbind().awaitListenerOnPort(port), "ReusePort"));
        assertTrue(joins(port), "reuseport=true on the listener bound before lets another socket join port " + port);

        // one that cannot change is refused, naming it, and nothing changes
        assertFails(1, "changing the options of hotbind " + version(attach) + " in pid " + pid + " failed: option"
                + " 'history' cannot change while hotbind runs", Cli.run(cli, "attach", pid, "history=9,reuseport=false"));
        assertEquals(options, target.hotbind().agent("Options"));
        assertFails(2, "bad agent options 'reuseport=maybe'", Cli.run(cli, "attach", pid, "reuseport=maybe"));

        if (jdk.equals(HOME)) {
            Cli.Result jvms = Cli.run(HOME, "jvms");
            assertEquals(0, jvms.exitCode(), jvms.toString());
            assertTrue(jvms.out().startsWith("PID "), jvms.toString());
            assertTrue(Pattern.compile("(?m)^" + pid + "\\s+" + jdk.feature() + "[.\\d]*\\s+\\d\\S*\\s+"
                    + "dev.hotbind.it.apps.HoldingServerApp$").matcher(jvms.out()).find(), jvms.toString());
        }
    }

    /**
     * A command against a JVM without hotbind fails before anything starts the JDK's JMX connector there:
     * that connector would listen on every interface until the JVM exits.
     */
    @ParameterizedTest(name = "{0} target")
    @MethodSource("jdks")
    void commandsOnAJvmWithoutHotbindLeaveNoListenerBehind(Jdk jdk) throws Exception {
        TargetJvm target = start(TargetJvm.on(jdk).mode(Mode.NONE));
        target.awaitPort("holding");
        String pid = Long.toString(target.pid());
        Set<Integer> before = ListeningSockets.portsOf(target.pid());
        assertEquals(1, before.size(), "the holding listener alone: " + before);

        String notLoaded = "hotbind is not loaded in pid " + pid + "; load it with: java -jar hotbind-agent.jar attach "
                + pid;
        for (String[] command : List.of(new String[] {"list", pid}, new String[] {"connections", pid},
                new String[] {"close", pid, "1"}, new String[] {"drain", pid, "1", "1s"},
                new String[] {"rebind-to", pid, "1", "127.0.0.1:0"})) {
            assertFails(1, notLoaded, Cli.run(otherThan(jdk), command));
        }
        assertEquals(before, ListeningSockets.portsOf(target.pid()), "listening ports of pid " + pid);
        assertTrue(target.process().isAlive());
    }

    @Test
    void wrongPidAnotherUsersJvmAndRefusedAttachGetClearErrors() throws Exception {
        Process ended = new ProcessBuilder(HOME.java().toString(), "-version").start();
        assertTrue(ended.waitFor(30, TimeUnit.SECONDS));
        assertFails(1, "no process with pid " + ended.pid(), Cli.run(HOME, "attach", Long.toString(ended.pid())));

        TargetJvm refusing = start(TargetJvm.on(HOME).mode(Mode.NONE).jvmArg("-XX:+DisableAttachMechanism"));
        assertFails(1, "JVM " + refusing.pid() + " refuses attach: it was started with -XX:+DisableAttachMechanism",
                Cli.run(HOME, "attach", Long.toString(refusing.pid())));
        assertTrue(refusing.process().isAlive());

        String pid = Long.toString(agentTarget().pid());
        Cli.Result stranger = Cli.runAsNobody(HOME, "attach", pid);
        if (stranger != null) {
            assertFails(1, "pid " + pid + " runs as user 'root'; a JVM can only be attached by the user it runs as:"
                    + " run this command as that user", stranger);
        }
    }

    @Test
    void closeEndsTheListenerAndUnknownIdsAreNamed() throws Exception {
        AgentListener l = agentListener("closing");
        String address = "127.0.0.1:" + l.port();

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), l.port())) {
            String peer = "127.0.0.1:" + client.getLocalPort();
            Poll.until("connections shows the client " + peer, () -> {
                Cli.Result connections = run(HOME, "connections", l.pid(), l.id());
                assertEquals(0, connections.exitCode(), connections.toString());
                return Pattern.compile("(?m)^\\d+\\s+#" + l.id() + " " + address + "\\s+/?" + peer + "\\s.*OPEN.*"
                        + "closing-acceptor$").matcher(connections.out()).find();
            });

            Cli.Result unknown = Cli.run(HOME, "close", l.pid(), "4242");
            assertFails(1, "no listener #4242 in pid " + l.pid() + "; listeners: ", unknown);
            assertTrue(unknown.err().contains("#" + l.id() + " " + address), unknown.toString());

            Cli.Result close = Cli.run(HOME, "close", l.pid(), l.id());
            assertEquals(0, close.exitCode(), close.toString());
            assertTrue(close.out().startsWith("closed listener #" + l.id() + " " + address), close.toString());
            l.target().awaitOutput("closing accept loop ended: java.net.SocketException");

            Cli.Result list = Cli.run(HOME, "list", l.pid());
            assertEquals(0, list.exitCode(), list.toString());
            assertFalse(list.out().contains(address), list.toString());
            assertFails(1, "no listener #" + l.id() + " in pid " + l.pid(),
                    Cli.run(HOME, "close", l.pid(), l.id()));
        }
    }

    /** Runs once the agent has unbind/rebind/rebindTo (issue 3); skipped, saying so, before. */
    @Test
    void unbindRebindAndRebindToRunThroughTheCli() throws Exception {
        AgentListener l = agentListener("rebound");

        Cli.Result unbind = Cli.run(HOME, "unbind", l.pid(), l.id());
        assumeFalse(unbind.err().contains("has no operation 'unbind'"), "not in this agent yet: " + unbind.err());
        assertEquals(0, unbind.exitCode(), unbind.toString());
        assertTrue(listRow(l.pid(), l.id()).contains(" UNBOUND "), listRow(l.pid(), l.id()));

        Cli.Result rebind = Cli.run(HOME, "rebind", l.pid(), l.id());
        assertEquals(0, rebind.exitCode(), rebind.toString());
        assertTrue(listRow(l.pid(), l.id()).contains(" BOUND "), listRow(l.pid(), l.id()));
        new Socket(InetAddress.getLoopbackAddress(), l.port()).close();

        int newPort = freePort();
        Cli.Result moved = Cli.run(HOME, "rebind-to", l.pid(), l.id(), "127.0.0.1:" + newPort);
        assertEquals(0, moved.exitCode(), moved.toString());
        assertTrue(listRow(l.pid(), l.id()).contains(" 127.0.0.1:" + newPort + " "), listRow(l.pid(), l.id()));

        Cli.Result bad = Cli.run(HOME, "rebind-to", l.pid(), l.id(), "127.0.0.1:99999");
        assertEquals(1, bad.exitCode(), bad.toString());
        assertEquals(1, bad.err().lines().count(), bad.toString());
        assertTrue(listRow(l.pid(), l.id()).contains(" 127.0.0.1:" + newPort + " "), listRow(l.pid(), l.id()));
    }

    /** Runs once the agent has drain (issue 5); skipped, saying so, before. */
    @Test
    void drainForceClosesWhatIsLeftAfterTheTimeout() throws Exception {
        AgentListener l = agentListener("drained");

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), l.port())) {
            Cli.Result absurd = Cli.run(HOME, "drain", l.pid(), l.id(), "100000h");
            assumeFalse(absurd.err().contains("has no operation 'drain'"), "not in this agent yet: " + absurd.err());
            assertEquals(1, absurd.exitCode(), absurd.toString());
            assertEquals(1, absurd.err().lines().count(), absurd.toString());

            Cli.Result drain = Cli.run(HOME, "drain", l.pid(), l.id(), "1s");
            assertEquals(0, drain.exitCode(), drain.toString());
            assertFalse(drain.out().isBlank(), drain.toString());
            client.setSoTimeout((int) Poll.DEFAULT.toMillis());
            try {
                assertEquals(-1, client.getInputStream().read(), "the held connection is force-closed");
            } catch (SocketException reset) {
                // force-closed with a reset: also the end of the connection
            }
        }
    }

    @Test
    void aTargetKilledDuringADrainIsNamedAsSuch() throws Exception {
        TargetJvm target = start(TargetJvm.on(HOME).mode(Mode.JAVAAGENT), "doomed");
        int port = target.awaitPort("doomed");
        HotbindJmx jmx = target.hotbind();
        ObjectName listener = jmx.awaitListenerOnPort(port);
        String pid = Long.toString(target.pid());
        String id = jmx.attribute(listener, "Id").toString();
        try (Socket held = new Socket(InetAddress.getLoopbackAddress(), port)) {
            Poll.until("the held connection is registered",
                    () -> Integer.valueOf(1).equals(jmx.attribute(listener, "OpenConnections")));
            CompletableFuture<Cli.Result> drain = Background.start("drain", () -> run(HOME, "drain", pid, id, "10m"));
            Poll.until("the drain runs", () -> "DRAINING".equals(jmx.attribute(listener, "State")));
            target.process().destroyForcibly();
            assertFails(1, "pid " + pid + " exited during the drain (", drain.get(60, TimeUnit.SECONDS));
        }
    }

    private synchronized TargetJvm agentTarget() throws Exception {
        if (agentTarget == null) {
            agentTarget = start(TargetJvm.on(HOME).mode(Mode.JAVAAGENT), "closing", "rebound", "drained");
        }
        return agentTarget;
    }

    /** A listener of the shared -javaagent target, with the pid and id the CLI is given. */
    private record AgentListener(TargetJvm target, int port, String pid, String id) {
    }

    private AgentListener agentListener(String name) throws Exception {
        TargetJvm target = agentTarget();
        int port = target.awaitPort(name);
        Object id = target.hotbind().attribute(target.hotbind().awaitListenerOnPort(port), "Id");
        return new AgentListener(target, port, Long.toString(target.pid()), id.toString());
    }

    /** The row of listener {@code id} in the output of {@code list}. */
    private static String listRow(String pid, String id) {
        Cli.Result list = run(HOME, "list", pid);
        assertEquals(0, list.exitCode(), list.toString());
        return list.out().lines().filter(l -> l.startsWith(id + " ")).findFirst()
                .orElseThrow(() -> new AssertionError("no listener " + id + " in\n" + list));
    }

    /** The version {@code attach} reported loading. */
    private static String version(Cli.Result attach) {
        return attach.out().split(" ", 3)[1];
    }

    /** Whether a socket of this process with SO_REUSEPORT can bind {@code port} on loopback too. */
    private static boolean joins(int port) throws IOException {
        try (ServerSocket joining = new ServerSocket()) {
            joining.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            joining.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (BindException inUse) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private TargetJvm start(TargetJvm.Builder builder, String... listeners) throws Exception {
        TargetJvm target = builder.start(HoldingServerApp.READY, HoldingServerApp.class.getName(), listeners);
        targets.add(target);
        return target;
    }

    /** Another JDK than the target's where there is one, so 17 attaches to 25 and 25 to 17. */
    private static Jdk otherThan(Jdk jdk) {
        return Jdk.all().stream().filter(j -> !j.equals(jdk)).findFirst().orElse(jdk);
    }

    private static Cli.Result run(Jdk jdk, String... args) {
        try {
            return Cli.run(jdk, args);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static void assertFails(int exitCode, String message, Cli.Result result) {
        assertEquals(exitCode, result.exitCode(), result.toString());
        assertTrue(result.err().startsWith("hotbind: " + message), result.toString());
        assertEquals(1, result.err().lines().count(), "one line:\n" + result);
        assertEquals("", result.out(), result.toString());
    }
}
