package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.hotbind.it.apps.HoldingServerApp;
import dev.hotbind.it.apps.NamedTargetApp;
import dev.hotbind.it.apps.OrphanApp;
import dev.hotbind.it.harness.Background;
import dev.hotbind.it.harness.Cli;
import dev.hotbind.it.harness.FreePort;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm.Mode;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
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
                    + "\\s+BOUND\\s+no\\s+\\S+\\s+\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+holding-acceptor \\(since ");
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
                + ",acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off,bindRetry=off,inherit=off";
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
                new String[] {"rebind-to", pid, "1", "127.0.0.1:1"})) {
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
            // the answer's summary, one fact per line
            assertEquals(List.of("closed listener #" + l.id() + " " + address + " as if the application had closed it",
                    "its accept threads now see the close", "1 connection(s) it accepted stay open"),
                    close.out().lines().toList(), close.toString());
            l.target().awaitOutput("closing accept loop ended: java.net.SocketException");

            Cli.Result list = Cli.run(HOME, "list", l.pid());
            assertEquals(0, list.exitCode(), list.toString());
            assertFalse(list.out().contains(address), list.toString());
            assertFails(1, "no listener #" + l.id() + " in pid " + l.pid(),
                    Cli.run(HOME, "close", l.pid(), l.id()));
        }
    }

    @Test
    void unbindRebindAndRebindToRunThroughTheCli() throws Exception {
        AgentListener l = agentListener("rebound");

        Cli.Result unbind = Cli.run(HOME, "unbind", l.pid(), l.id());
        assertEquals(0, unbind.exitCode(), unbind.toString());
        assertTrue(listRow(l.pid(), l.id()).contains(" UNBOUND "), listRow(l.pid(), l.id()));

        Cli.Result rebind = Cli.run(HOME, "rebind", l.pid(), l.id());
        assertEquals(0, rebind.exitCode(), rebind.toString());
        assertTrue(listRow(l.pid(), l.id()).contains(" BOUND "), listRow(l.pid(), l.id()));
        new Socket(InetAddress.getLoopbackAddress(), l.port()).close();

        int oldPort = l.port();
        int newPort = FreePort.pick();
        // --json: the answer's fields
        JsonObject moved = json(Cli.run(HOME, "rebind-to", l.pid(), l.id(), "127.0.0.1:" + newPort, "--json"));
        assertEquals("moved", moved.get("kind").getAsString(), moved.toString());
        assertEquals("127.0.0.1:" + oldPort, moved.get("from").getAsString(), moved.toString());
        assertEquals("127.0.0.1:" + newPort, moved.get("to").getAsString(), moved.toString());
        assertTrue(moved.get("micros").getAsLong() >= 0 && moved.get("oldPortReleasedMicros").getAsLong() >= 0,
                moved.toString());
        assertTrue(moved.get("summary").getAsString().startsWith("moved listener #" + l.id() + " 127.0.0.1:" + oldPort
                + " -> 127.0.0.1:" + newPort + " in "), moved.toString());
        assertTrue(listRow(l.pid(), l.id()).contains(" 127.0.0.1:" + newPort + " "), listRow(l.pid(), l.id()));

        // refused by the agent: exit 1; an address the agent finds wrong (not local here): exit 2, the user's input
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            assertFails(1, "127.0.0.1 port " + taken.getLocalPort() + " is taken by another socket",
                    Cli.run(HOME, "rebind-to", l.pid(), l.id(), "127.0.0.1:" + taken.getLocalPort()));
        }
        assertFails(2, "192.0.2.1 port " + newPort + ": the address is not local to this host",
                Cli.run(HOME, "rebind-to", l.pid(), l.id(), "192.0.2.1:" + newPort));

        // checked by the CLI, in its words, before anything is sent
        assertFails(2, "bad address: '127.0.0.1:99999': port 99999 is out of range",
                Cli.run(HOME, "rebind-to", l.pid(), l.id(), "127.0.0.1:99999"));
        assertTrue(listRow(l.pid(), l.id()).contains(" 127.0.0.1:" + newPort + " "), listRow(l.pid(), l.id()));
    }

    /** A blocking ServerSocket's drain: the held connection force-closed and counted, then close() ends it. */
    @Test
    void drainForceClosesWhatIsLeftAfterTheTimeout() throws Exception {
        AgentListener l = agentListener("drained");

        try (Socket client = new Socket(InetAddress.getLoopbackAddress(), l.port())) {
            assertFails(2, "bad timeout '100000h'; at most 24h", Cli.run(HOME, "drain", l.pid(), l.id(), "100000h"));
            // as the agent refuses JConsole's pre-filled 0
            assertFails(2, "bad timeout '0s': 0 would force-close every connection at once",
                    Cli.run(HOME, "drain", l.pid(), l.id(), "0s"));
            HotbindJmx hotbind = l.target().hotbind();
            Poll.until("the client's connection accepted", () -> Integer.valueOf(1).equals(
                    hotbind.attribute(hotbind.listenerById(Long.parseLong(l.id())), "OpenConnections")));

            Poll.until("the held connection accepted", () -> run(HOME, "connections", l.pid(), l.id()).out()
                    .contains("127.0.0.1:" + client.getLocalPort()));
            JsonObject drain = json(Cli.run(HOME, "drain", l.pid(), l.id(), "1s", "--json"));
            assertEquals(1, drain.get("forceClosed").getAsInt(), drain.toString());
            assertEquals(0, drain.get("closedByApplication").getAsLong(), drain.toString());
            assertEquals(1000, drain.get("timeoutMillis").getAsLong(), drain.toString());
            client.setSoTimeout((int) Poll.DEFAULT.toMillis());
            try {
                assertEquals(-1, client.getInputStream().read(), "the held connection is force-closed");
            } catch (SocketException reset) {
                // force-closed with a reset: also the end of the connection
            }
        }
        assertTrue(listRow(l.pid(), l.id()).contains(" UNBOUND "), listRow(l.pid(), l.id()));
        assertTrue(Http.refuses(l.port()), "the port stays released after the drain");
        Cli.Result close = Cli.run(HOME, "close", l.pid(), l.id());
        assertEquals(0, close.exitCode(), close.toString());
        assertTrue(close.out().startsWith("closed listener #" + l.id() + " "), close.toString());
    }

    @Test
    void helpAndVersionExitZero() throws Exception {
        for (String flag : List.of("-h", "--help")) {
            Cli.Result help = Cli.run(HOME, flag);
            assertEquals(0, help.exitCode(), help.toString());
            assertTrue(help.out().startsWith("usage: java -jar hotbind-agent.jar <command>"), help.toString());
            assertTrue(help.out().contains("\n  orphans <pid> [--json]"), help.toString());
        }
        Cli.Result version = Cli.run(HOME, "--version");
        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().matches("hotbind \\d+\\.\\d+\\.\\d+\\S*\n"), version.toString());
    }

    /**
     * Every read command, by name as jcmd takes it (the file name of the jar the target runs), in words
     * and as JSON; a CLI on the other JDK. The fd the CLI names is checked against the target's own /proc
     * entry.
     */
    @ParameterizedTest(name = "{0} target")
    @MethodSource("jdks")
    void readCommandsFindTheTargetByNameInWordsAndJson(Jdk jdk) throws Exception {
        Path jar = namedTargetJar();
        TargetJvm target = TargetJvm.on(jdk).mode(Mode.JAVAAGENT).start(HoldingServerApp.READY,
                "-jar", jar.toString(), "named");
        try (target) {
            Jdk cli = otherThan(jdk);
            String pid = Long.toString(target.pid());
            int blocking = target.awaitPort("named");
            int selector = target.awaitPort("selector");
            String name = jar.getFileName().toString();

            Cli.Result list = Cli.run(cli, "list", name);
            assertEquals(0, list.exitCode(), list.toString());
            assertTrue(list.out().startsWith("pid " + pid + ", hotbind "), list.toString());
            assertTrue(list.out().contains("ID  KIND"), list.toString());
            assertTrue(Pattern.compile("(?m)^\\d+\\s+ServerSocket\\s+127\\.0\\.0\\.1:" + blocking
                    + "\\s+BOUND\\s+no\\s+50/(50|\\?)\\s+\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+named-acceptor \\(since ")
                    .matcher(list.out()).find(), list.toString());
            assertTrue(Pattern.compile("(?m)^\\d+\\s+ServerSocketChannel\\s+127\\.0\\.0\\.1:" + selector
                    + "\\s+BOUND\\s+yes\\s+50/(50|\\?)\\s+\\S+\\s+\\d+\\s+\\d+\\s+\\d+\\s+selector$")
                    .matcher(list.out()).find(), list.toString());
            assertTrue(Pattern.compile("(?m)^\\d+\\s+ServerSocket\\s.* \\[the JVM's JMX connector\\]$")
                    .matcher(list.out()).find(), list.toString());

            JsonObject listed = json(Cli.run(cli, "list", pid, "--json"));
            assertEquals(target.pid(), listed.get("pid").getAsLong());
            JsonObject named = listener(listed, blocking);
            assertEquals("ServerSocket", named.get("kind").getAsString());
            assertEquals("BOUND", named.get("state").getAsString());
            assertFalse(named.get("reusePort").getAsBoolean());
            assertEquals(50, named.get("requestedBacklog").getAsInt());
            assertEquals("threads", named.get("acceptedBy").getAsString());
            assertTrue(named.getAsJsonArray("acceptThreads").get(0).getAsString().startsWith("named-acceptor (since "),
                    named.toString());
            assertFalse(named.get("jvmManagementConnector").getAsBoolean());
            for (String field : List.of("id", "address", "backlog", "acceptQueueDepth", "fd", "acceptedCount",
                    "openConnections")) {
                assertTrue(named.has(field), field + " in " + named);
            }
            int fd = named.get("fd").getAsInt();
            assertTrue(Files.readSymbolicLink(Path.of("/proc", pid, "fd", Integer.toString(fd))).toString()
                    .startsWith("socket:["), "fd " + fd + " of pid " + pid + " is a socket");
            JsonObject selecting = listener(listed, selector);
            assertTrue(selecting.get("reusePort").getAsBoolean(), selecting.toString());
            assertEquals("selector", selecting.get("acceptedBy").getAsString());
            assertEquals(0, selecting.getAsJsonArray("acceptThreads").size());
            long connectors = 0;
            for (var l : listed.getAsJsonArray("listeners")) {
                connectors += l.getAsJsonObject().get("jvmManagementConnector").getAsBoolean() ? 1 : 0;
            }
            assertEquals(1, connectors, listed.toString());

            long id = named.get("id").getAsLong();
            Cli.Result show = Cli.run(cli, "show", name, Long.toString(id));
            assertEquals(0, show.exitCode(), show.toString());
            assertTrue(show.out().startsWith("listener #" + id + " in pid " + pid + "\n"), show.toString());
            for (String line : List.of("Fd\\s+" + fd, "ReusePort\\s+false", "JvmManagementConnector\\s+false",
                    "State\\s+BOUND", "BindStackTrace\\s+\\d+:", "\\s+dev\\.hotbind\\.it\\.apps\\.HoldingServerApp\\.main\\(.*")) {
                assertTrue(Pattern.compile("(?m)^" + line + "$").matcher(show.out()).find(), line + " in\n" + show);
            }
            JsonObject shown = json(Cli.run(cli, "show", pid, Long.toString(id), "--json")).getAsJsonObject("listener");
            assertEquals(id, shown.get("id").getAsLong());
            assertEquals(fd, shown.get("fd").getAsInt());
            assertEquals("127.0.0.1:" + blocking, shown.get("address").getAsString());
            assertTrue(shown.getAsJsonArray("bindStackTrace").toString().contains("HoldingServerApp.main"),
                    shown.toString());
            assertTrue(shown.get("connections").isJsonArray(), shown.toString());

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), blocking)) {
                String peer = "127.0.0.1:" + client.getLocalPort();
                JsonObject open = Poll.value("connections --json lists " + peer, () -> {
                    JsonObject doc = json(run(cli, "connections", name, "--json"));
                    for (var c : doc.getAsJsonArray("connections")) {
                        if (c.getAsJsonObject().get("remoteAddress").getAsString().equals(peer)) {
                            return c.getAsJsonObject();
                        }
                    }
                    return null;
                });
                assertEquals(id, open.get("listenerId").getAsLong());
                assertEquals("OPEN", open.get("state").getAsString());
                assertEquals("named-acceptor", open.get("acceptThread").getAsString());
                Cli.Result connections = Cli.run(cli, "connections", pid);
                assertEquals(0, connections.exitCode(), connections.toString());
                assertTrue(connections.out().contains("(this command's own JMX connection not shown)"),
                        connections.toString());
                assertTrue(Pattern.compile("(?m)^\\d+\\s+#" + id + " 127\\.0\\.0\\.1:" + blocking + "\\s+" + peer
                        + "\\s.*OPEN.*named-acceptor$").matcher(connections.out()).find(), connections.toString());
            }

            if (jdk.equals(HOME)) {
                JsonObject jvms = json(Cli.run(HOME, "jvms", "--json"));
                JsonObject me = null;
                for (var j : jvms.getAsJsonArray("jvms")) {
                    if (j.getAsJsonObject().get("pid").getAsLong() == target.pid()) {
                        me = j.getAsJsonObject();
                    }
                }
                assertTrue(me != null, jvms.toString());
                assertEquals(jar.toString(), me.get("mainClass").getAsString());
                assertTrue(me.get("java").getAsString().startsWith(Integer.toString(jdk.feature())), me.toString());
                assertEquals(listed.get("hotbind").getAsString(), me.get("hotbind").getAsString());

                TargetJvm twin = TargetJvm.on(HOME).mode(Mode.NONE).readyWithin(java.time.Duration.ofSeconds(60))
                        .jvmArg("-Dtwin=true").start(HoldingServerApp.READY, "-jar", jar.toString(), "twin");
                targets.add(twin);
                Cli.Result ambiguous = Cli.run(HOME, "list", name);
                assertFails(2, "'" + name + "' matches 2 JVMs: ", ambiguous);
                assertTrue(ambiguous.err().contains(pid + " " + jar) && ambiguous.err().contains(twin.pid() + " " + jar),
                        ambiguous.toString());
                twin.close();
                assertFails(2, "no JVM of this user runs a main class or jar named 'NoSuchApp42'",
                        Cli.run(HOME, "orphans", "NoSuchApp42"));
            }
        }
    }

    /** The four kinds of finding, one table each, and the same as JSON. */
    @ParameterizedTest(name = "{0} target")
    @MethodSource("jdks")
    void orphansShowsEachKindOfFinding(Jdk jdk) throws Exception {
        TargetJvm target = TargetJvm.on(jdk).mode(Mode.JAVAAGENT)
                .agentOptions("auditInterval=200ms,spinThreshold=20").start("orphan-app ready", OrphanApp.class.getName());
        try (target) {
            String pid = Long.toString(target.pid());
            int nativePort = target.awaitPort("native");
            OutputStream stdin = target.process().getOutputStream();
            stdin.write("close spin\n".getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            Cli.Result orphans = Poll.value("orphans lists the spinning accept thread and the native listener", () -> {
                Cli.Result r = run(otherThan(jdk), "orphans", pid);
                assertEquals(0, r.exitCode(), r.toString());
                return r.out().contains("spinning-acceptor") && r.out().contains("127.0.0.1:" + nativePort) ? r : null;
            });
            assertTrue(orphans.out().startsWith("pid " + pid + ": audit #"), orphans.toString());
            for (String title : List.of("orphaned accept threads: ", "orphaned listeners: ", "orphaned connections: ",
                    "unmanaged listeners: ", "saturated listeners \\(accept queue found full\\): ")) {
                assertTrue(Pattern.compile("(?m)^" + title + "(none|\\d+)$").matcher(orphans.out()).find(),
                        title + " in\n" + orphans);
            }
            assertTrue(orphans.out().contains("THREAD ID  THREAD"), orphans.toString());
            assertTrue(orphans.out().contains("INODE"), orphans.toString());

            JsonObject doc = json(Cli.run(otherThan(jdk), "orphans", pid, "--json"));
            assertTrue(doc.get("auditCount").getAsLong() > 0, doc.toString());
            assertTrue(doc.getAsJsonArray("orphanedListeners") != null && doc.getAsJsonArray("orphanedConnections") != null
                    && doc.getAsJsonArray("saturatedListeners") != null,
                    doc.toString());
            JsonObject spinner = null;
            for (var t : doc.getAsJsonArray("orphanedAcceptThreads")) {
                if (t.getAsJsonObject().get("thread").getAsString().equals("spinning-acceptor")) {
                    spinner = t.getAsJsonObject();
                }
            }
            assertTrue(spinner != null && spinner.get("failedCalls").getAsLong() > 0
                    && spinner.get("listenerId").getAsLong() > 0, doc.toString());
            assertTrue(doc.getAsJsonArray("unmanagedListeners").toString().contains("\"address\":\"127.0.0.1:"
                    + nativePort + "\""), doc.toString());
        }
    }

    /**
     * drain all: every listener but the JVM's JMX connector, within one timeout; piped, only the
     * answer; on a terminal, a progress line with the connections still open and the time left.
     */
    @ParameterizedTest(name = "{0} target")
    @MethodSource("jdks")
    void drainAllLeavesTheJmxConnectorAndShowsProgressOnlyOnATerminal(Jdk jdk) throws Exception {
        TargetJvm target = TargetJvm.on(jdk).mode(Mode.JAVAAGENT).start(HoldingServerApp.READY,
                HoldingServerApp.class.getName(), "first", "second");
        try (target) {
            String pid = Long.toString(target.pid());
            HotbindJmx hotbind = target.hotbind();
            int first = target.awaitPort("first");
            int second = target.awaitPort("second");
            try (Socket a = new Socket(InetAddress.getLoopbackAddress(), first);
                 Socket b = new Socket(InetAddress.getLoopbackAddress(), second)) {
                Poll.until("both connections accepted", () -> (Integer) hotbind.agent("OpenConnectionCount")
                        >= 2);
                Cli.Result drain = Cli.run(otherThan(jdk), "drain", pid, "all", "1s");
                assertEquals(0, drain.exitCode(), drain.toString());
                assertTrue(Pattern.compile("(?m)^left listener #\\d+ \\S+ alone: it is the JDK's RMI \\(JMX\\) listener$")
                        .matcher(drain.out()).find(), drain.toString());
                // one summary line per listener
                for (int port : new int[] {first, second}) {
                    assertTrue(Pattern.compile("(?m)^drained listener #\\d+ 127\\.0\\.0\\.1:" + port
                            + " in \\d+ ms; 0 connection\\(s\\) closed by the application; 1 force-closed when the 1000 "
                            + "ms timeout passed;").matcher(drain.out()).find(), drain.toString());
                }
                assertFalse(drain.out().contains("\r") || drain.out().contains("still open"), "piped: no progress\n"
                        + drain);
            }
            String listed = run(HOME, "list", pid).out();
            assertTrue(Pattern.compile("(?m)127\\.0\\.0\\.1:" + first + "\\s+UNBOUND ").matcher(listed).find(), listed);
            assertTrue(Pattern.compile("(?m)BOUND .*\\[the JVM's JMX connector\\]$").matcher(listed).find(), listed);

            String id = Long.toString((Long) target.hotbind().attribute(target.hotbind().awaitListenerOnPort(first),
                    "Id"));
            assertEquals(0, Cli.run(HOME, "rebind", pid, id).exitCode());
            try (Socket held = new Socket(InetAddress.getLoopbackAddress(), first)) {
                Poll.until("the connection accepted", () -> (Integer) hotbind.agent("OpenConnectionCount")
                        >= 1);
                Cli.Result terminal = Cli.runOnTerminal(otherThan(jdk), "drain", pid, id, "3s");
                if (terminal != null) {
                    assertEquals(0, terminal.exitCode(), terminal.toString());
                    assertTrue(Pattern.compile("\rdraining 1 listener\\(s\\): 1 connection\\(s\\) still open, "
                            + "force-close in \\d+\\.\\d s").matcher(terminal.out()).find(), terminal.toString());
                    assertTrue(terminal.out().contains("drained listener #" + id + " 127.0.0.1:" + first),
                            terminal.toString());
                }
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

    /**
     * A jar running {@link NamedTargetApp} (on this test's class path) under a file name no other JVM of
     * this user has: two suites run at once by one user (two clones) would otherwise both start a main
     * class named NamedTargetApp, and a name would match both. Removed when the test JVM exits.
     */
    private static Path namedTargetJar() throws IOException {
        Path dir = Files.createTempDirectory("hotbind-cli-it");
        dir.toFile().deleteOnExit();
        Path jar = dir.resolve("named-target-" + ProcessHandle.current().pid() + ".jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, NamedTargetApp.class.getName());
        StringJoiner classPath = new StringJoiner(" ");
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            classPath.add(Path.of(entry).toAbsolutePath().toUri().toString());
        }
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath.toString());
        try (JarOutputStream empty = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            jar.toFile().deleteOnExit();
        }
        return jar;
    }

    private TargetJvm start(TargetJvm.Builder builder, String... listeners) throws Exception {
        return start(builder, HoldingServerApp.class, listeners);
    }

    private TargetJvm start(TargetJvm.Builder builder, Class<?> main, String... listeners) throws Exception {
        TargetJvm target = builder.start(HoldingServerApp.READY, main.getName(), listeners);
        targets.add(target);
        return target;
    }

    /** The JSON document a --json run printed, after checking it succeeded and printed nothing else. */
    private static JsonObject json(Cli.Result result) {
        assertEquals(0, result.exitCode(), result.toString());
        assertEquals("", result.err(), result.toString());
        assertEquals(1, result.out().lines().count(), "one document, one line:\n" + result);
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    /** The listener on {@code port} in the JSON of list. */
    private static JsonObject listener(JsonObject list, int port) {
        for (var l : list.getAsJsonArray("listeners")) {
            if (l.getAsJsonObject().get("address").getAsString().equals("127.0.0.1:" + port)) {
                return l.getAsJsonObject();
            }
        }
        throw new AssertionError("no listener on port " + port + " in " + list);
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
