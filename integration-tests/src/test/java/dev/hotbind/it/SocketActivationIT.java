package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.AcceptModelsApp;
import dev.hotbind.it.apps.ChildProcessApp;
import dev.hotbind.it.apps.Replies;
import dev.hotbind.it.harness.ChurnClient;
import dev.hotbind.it.harness.Client;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.ServerApp;
import dev.hotbind.it.harness.SocketLauncher;
import dev.hotbind.it.rebind.RebindIT;
import dev.hotbind.it.harness.TargetJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Socket activation (issue 15, item 1): a launcher passes a listening socket as systemd does (fd 3,
 * LISTEN_FDS=1, LISTEN_PID = the JVM's pid) and the application, unchanged, binds its usual address
 * with {@code -javaagent:hotbind.jar=inherit=systemd}: it serves on the inherited kernel socket (the
 * same inode as fd 3; no second socket on the port), and JVMs restarted in turn behind the launcher's
 * socket refuse and reset nothing.
 */
class SocketActivationIT {
    /** A server's start-up with the agent took up to 30 s here under a load average of 20 on 2 cores. */
    private static final Duration START_UP = Duration.ofMinutes(2);
    /** A client queued on the inherited socket waits for the next JVM's start-up: as long as that may take. */
    private static final int QUEUED_CLIENT_TIMEOUT_MILLIS = (int) START_UP.toMillis();

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    /** Jetty's and Tomcat's blocking acceptors, Netty's and the JDK HttpServer's selectors, on every JDK. */
    static Stream<Arguments> servers() {
        return Jdk.all().stream().flatMap(jdk -> Stream.of(ServerApp.values()).map(app -> Arguments.of(jdk, app)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void theDemoServesOnTheSocketSystemdPassed(Jdk jdk) throws Exception {
        int base = SocketLauncher.freeBase(DemoTarget.STYLES.size());
        try (TargetJvm jvm = TargetJvm.on(jdk).through(SocketLauncher.exec(base)).agentOptions("inherit=systemd")
                .classpath(TargetJvm.DEMO_JAR.toString())
                .start("demo ready", DemoTarget.MAIN, "--port-base", Integer.toString(base))) {
            assertEquals(base, jvm.awaitPort("classic"), jvm.output());
            try (Client client = Client.greeted(base)) {
                // served: the greeting came over the inherited socket
            }
            HotbindJmx hotbind = jvm.hotbind();
            ObjectName classic = hotbind.awaitListenerOnPort(base);
            assertEquals("fd 3 (http) 127.0.0.1:" + base, hotbind.attribute(classic, "Inherited"));
            assertInheritedSocketUnder(jvm, hotbind, classic);
            ObjectName channel = hotbind.awaitListenerOnPort(jvm.awaitPort("channel"));
            assertEquals("", hotbind.attribute(channel, "Inherited"), "a bind no inherited socket matches binds as usual");
            String[] inherited = (String[]) hotbind.agent("InheritedSockets");
            assertEquals(1, inherited.length, Arrays.toString(inherited));
            assertTrue(inherited[0].startsWith("fd 3 (http) 127.0.0.1:" + base + ": under ServerSocket bound to "
                    + "127.0.0.1:" + base + " by thread main"), inherited[0]);
            assertArrayEquals(new String[0], (String[]) hotbind.agent("UnmatchedInheritedSockets"));

            // unbind keeps the inherited socket: a client queues instead of being refused, and rebind puts it back
            CompositeData unbound = hotbind.invoke(classic, "unbind", new Object[0], new String[0]);
            assertEquals("fd 3 (http) 127.0.0.1:" + base, unbound.get("inheritedKept"), (String) unbound.get("summary"));
            assertTrue(((String) unbound.get("summary")).contains("the inherited fd 3 (http) 127.0.0.1:" + base
                    + " stays open"), (String) unbound.get("summary"));
            try (Client queued = Client.connect(base)) {
                CompositeData rebound = hotbind.invoke(classic, "rebind", new Object[0], new String[0]);
                assertEquals("inherited", rebound.get("kind"), (String) rebound.get("summary"));
                queued.expectLine("hello from classic");
            }
            assertInheritedSocketUnder(jvm, hotbind, classic);
        }
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("servers")
    void aServerServesOnTheSocketSystemdPassedWithNoCodeChange(Jdk jdk, ServerApp app) throws Exception {
        try (TargetJvm jvm = server(jdk, app)) {
            int port = jvm.awaitPort(app.portName());
            for (int i = 0; i < 5; i++) {
                assertEquals(Replies.BODY, Http.get(port, "/"));
            }
            HotbindJmx hotbind = jvm.hotbind();
            ObjectName listener = hotbind.awaitListenerOnPort(port);
            assertEquals("fd 3 (http) 127.0.0.1:" + port, hotbind.attribute(listener, "Inherited"));
            assertInheritedSocketUnder(jvm, hotbind, listener);
            assertArrayEquals(new String[0], (String[]) hotbind.agent("UnmatchedInheritedSockets"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void inheritedSocketsNoBindMatchesAreListedWithTheReason(Jdk jdk) throws Exception {
        // fd 3: the launcher's socket, for a port the demo never binds; fd 900: not open at all
        try (TargetJvm jvm = TargetJvm.on(jdk).through(SocketLauncher.exec(0))
                .agentOptions("inherit=3:127.0.0.1:1,900:8080").classpath(TargetJvm.DEMO_JAR.toString())
                .start("demo ready", DemoTarget.MAIN)) {
            HotbindJmx hotbind = jvm.hotbind();
            ObjectName classic = hotbind.awaitListenerOnPort(jvm.awaitPort("classic"));
            assertEquals("", hotbind.attribute(classic, "Inherited"));
            String[] unmatched = (String[]) hotbind.agent("UnmatchedInheritedSockets");
            assertEquals(2, unmatched.length, Arrays.toString(unmatched));
            assertTrue(unmatched[0].matches("fd 3 127\\.0\\.0\\.1:\\d+: unmatched: no application bind matched it "
                    + "yet \\(waiting for a bind of 127\\.0\\.0\\.1:1\\)"), unmatched[0]);
            assertEquals("fd 900: unusable: descriptor 900 is not open in this process", unmatched[1]);
        }
    }

    /** The JDKs with virtual threads. */
    static Stream<Jdk> virtualThreadJdks() {
        return Jdk.all().stream().filter(jdk -> jdk.feature() >= 21);
    }

    /** A virtual thread accepts on the inherited socket as on its own: it parks on the JDK's poller for it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("virtualThreadJdks")
    void aVirtualThreadAcceptsOnTheInheritedSocket(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.on(jdk).through(SocketLauncher.exec(0)).agentOptions("inherit=systemd")
                .jvmArg("-Dhotbind.it.virtualPort=" + SocketLauncher.PORT)
                .start("accept-models ready", AcceptModelsApp.class.getName())) {
            int port = jvm.awaitPort("virtual");
            for (int i = 0; i < 3; i++) {
                assertTrue(RebindIT.served(port), "connection " + i + " answered by the virtual acceptor");
            }
            HotbindJmx hotbind = jvm.hotbind();
            ObjectName listener = hotbind.awaitListenerOnPort(port);
            assertEquals("fd 3 (http) 127.0.0.1:" + port, hotbind.attribute(listener, "Inherited"));
            assertInheritedSocketUnder(jvm, hotbind, listener);
            assertTrue(jvm.output().indexOf("ACCEPT-FAILURE") < 0, jvm.output());
        }
    }

    /** The explicit form maps the application's port to a descriptor whatever port that socket has (here: another). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void anExplicitDescriptorTakesTheApplicationsBindOfItsPort(Jdk jdk) throws Exception {
        int asked = SocketLauncher.freeBase(1);
        try (TargetJvm jvm = TargetJvm.on(jdk).through(SocketLauncher.exec(0))
                .agentOptions("inherit=3:127.0.0.1:" + asked).jvmArg("-Dhotbind.it.port=" + asked)
                .start(Replies.READY, ChildProcessApp.class.getName())) {
            int port = jvm.awaitPort("child");
            assertTrue(port != asked, "the application reports the inherited socket's port");
            HotbindJmx hotbind = jvm.hotbind();
            ObjectName listener = hotbind.awaitListenerOnPort(port);
            assertEquals("fd 3 127.0.0.1:" + port, hotbind.attribute(listener, "Inherited"));
            assertInheritedSocketUnder(jvm, hotbind, listener);
            assertFalse(ListeningSockets.portsOf(jvm.pid()).contains(asked), "nothing bound the port asked for");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void childProcessesGetNeitherSystemdsVariablesNorTheSocket(Jdk jdk) throws Exception {
        try (TargetJvm jvm = TargetJvm.on(jdk).through(SocketLauncher.exec(0)).agentOptions("inherit=systemd")
                .jvmArg("-Dhotbind.it.port=" + SocketLauncher.PORT)
                .start(Replies.READY, ChildProcessApp.class.getName())) {
            String output = jvm.output();
            assertTrue(output.contains("jvm LISTEN_FDS=[1]"), "the JVM's own environment is a snapshot:\n" + output);
            for (String child : List.of("processbuilder", "runtime-exec")) {
                String line = jvm.awaitOutput("(" + child + " .*)");
                assertTrue(line.startsWith(child + " LISTEN_PID=[] LISTEN_FDS=[] LISTEN_FDNAMES=[] fd3=["), line);
                assertFalse(line.contains("socket:["), "the JDK closes descriptors from 3 in a child: " + line);
            }
            HotbindJmx hotbind = jvm.hotbind();
            ObjectName listener = hotbind.awaitListenerOnPort(jvm.awaitPort("child"));
            assertTrue(((String) hotbind.attribute(listener, "Inherited")).startsWith("fd 3 (http)"));
        }
    }

    /**
     * The launcher holds one socket (as systemd holds a .socket unit's) while JVMs are started and
     * stopped in turn behind it, each with the drain on exit; a client loop runs throughout, its
     * requests waiting in the socket's queue while no JVM runs.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void jvmsRestartedInTurnBehindOneInheritedSocketRefuseAndResetNothing(Jdk jdk) throws Exception {
        List<String> java = new ArrayList<>(List.of(jdk.java().toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-javaagent:" + TargetJvm.AGENT_JAR + "=inherit=systemd,drainOnShutdown=10s",
                "-Dhotbind.it.port=" + SocketLauncher.PORT, "-cp", System.getProperty("java.class.path"),
                ServerApp.JETTY.mainClass().getName()));
        try (SocketLauncher launcher = SocketLauncher.hold(java)) {
            int port = launcher.port();
            launcher.start(Replies.READY, 1, START_UP);
            try (ChurnClient client = ChurnClient.start(() -> port, ChurnClient.http("/", QUEUED_CLIENT_TIMEOUT_MILLIS), 2)) {
                client.awaitSuccesses(20);
                for (int restart = 1; restart <= 2; restart++) {
                    long begun = System.nanoTime();
                    launcher.stop(restart, START_UP);
                    launcher.start(Replies.READY, restart + 1, START_UP);
                    client.awaitSuccesses(20);
                    System.out.println("restart " + restart + " on " + jdk + ": " + (System.nanoTime() - begun) / 1_000_000
                            + " ms from SIGTERM to the next JVM serving");
                }
                client.stop();
                System.out.println("restarts on " + jdk + ": " + client + ", slowest request " + client.slowestMillis()
                        + " ms");
                assertEquals(0, client.count(ChurnClient.Outcome.REFUSED), client + "\n" + launcher.output());
                assertEquals(0, client.count(ChurnClient.Outcome.RESET), client + "\n" + launcher.output());
                assertEquals(0, client.failures(), client + "\n" + launcher.output());
            }
        }
    }

    private static TargetJvm server(Jdk jdk, ServerApp app) throws Exception {
        return TargetJvm.on(jdk).through(SocketLauncher.exec(0)).agentOptions("inherit=systemd")
                .jvmArg("-XX:TieredStopAtLevel=1").jvmArg("-XX:+UseSerialGC")
                .jvmArg("-Dhotbind.it.port=" + SocketLauncher.PORT).readyWithin(START_UP)
                .start(Replies.READY, app.mainClass().getName());
    }

    /** The listener's descriptor is the inherited kernel socket (fd 3's inode), and no other socket listens on its port. */
    private static void assertInheritedSocketUnder(TargetJvm jvm, HotbindJmx hotbind, ObjectName listener)
            throws Exception {
        int fd = (Integer) hotbind.attribute(listener, "Fd");
        String inherited = ListeningSockets.descriptor(jvm.pid(), 3);
        assertTrue(inherited.startsWith("socket:["), inherited);
        assertEquals(inherited, ListeningSockets.descriptor(jvm.pid(), fd), "fd " + fd + " is not fd 3's socket");
        int port = (Integer) hotbind.attribute(listener, "LocalPort");
        assertEquals(1, ListeningSockets.socketsOn(jvm.pid(), port), "one kernel socket listens on " + port);
    }
}
