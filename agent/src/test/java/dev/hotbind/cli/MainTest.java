package dev.hotbind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The command line as an operator meets it: usage, exit codes, and errors that name what was wrong. */
class MainTest {
    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void usageListsEveryCommandOnceWithExitCodes() {
        Result help = run("help");
        assertEquals(0, help.code());
        for (String command : List.of("attach <pid>", "jvms [--json]", "list <pid> [--json]",
                "show <pid> <listenerId> [--json]", "connections <pid> [listenerId] [--json]", "orphans <pid> [--json]",
                "close <pid> <listenerId> [--json]", "rebind <pid> <listenerId> [--json]",
                "rebind-to <pid> <listenerId> <address> [--json]", "unbind <pid> <listenerId> [--json]", "set-backlog <pid> <listenerId> <backlog> [--json]",
                "drain <pid> <listenerId|all> <timeout> [--json]", "help")) {
            assertTrue(help.out().contains("\n  " + command), command + " missing from:\n" + help.out());
        }
        assertTrue(help.out().contains("exit codes: 0 done, 1 the operation failed, 2 usage error"), help.out());
        assertTrue(help.out().contains("-XX:+EnableDynamicAgentLoading"), help.out());

        Result none = run();
        assertEquals(2, none.code());
        assertEquals(help.out(), none.err());

        for (String flag : List.of("-h", "--help")) {
            Result h = run(flag);
            assertEquals(0, h.code(), flag);
            assertEquals(help.out(), h.out(), flag);
            assertEquals("", h.err(), flag);
        }
        Result version = run("--version");
        assertEquals(0, version.code());
        assertTrue(version.out().matches("hotbind \\S+\n"), version.out());

        Result unknown = run("lsit", "42");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().startsWith("hotbind: unknown command 'lsit'\nusage:"), unknown.err());
    }

    @Test
    void malformedArgumentsAreUsageErrorsNamingTheArgument() {
        assertUsage("no JVM of this user runs a main class or jar named 'NoSuchMainClass42'; give a pid or a name",
                "attach", "NoSuchMainClass42");
        assertUsage("bad pid '-3'; expected a positive whole number", "list", "-3");
        assertUsage("bad listener id 'x'; expected a positive whole number", "close", "1", "x");
        assertUsage("missing argument for 'close'; usage: close <pid> <listenerId> [--json]", "close", "1");
        assertUsage("too many arguments for 'list'; usage: list <pid> [--json]", "list", "1", "2");
        assertUsage("too many arguments for 'jvms'; usage: jvms [--json]", "jvms", "1");
        assertUsage("bad timeout '30'; expected a whole number with a unit: ms, s, m or h", "drain", "1", "2", "30");
        assertUsage("bad timeout '-5s'", "drain", "1", "2", "-5s");
        assertUsage("bad timeout '100000h'; at most 24h", "drain", "1", "2", "100000h");
        assertUsage("bad timeout '25h'; at most 24h", "drain", "1", "all", "25h");
        // JConsole's pre-filled 0 is refused by the agent, and the CLI agrees before anything is sent
        assertUsage("bad timeout '0ms': 0 would force-close every connection at once", "drain", "1", "2", "0ms");
        assertUsage("bad listener id 'everything'", "drain", "1", "everything", "1s");
        assertUsage("empty address; expected host:port, [v6]:port, :port or port", "rebind-to", "1", "2", " ");
        assertUsage("bad address: '127.0.0.1:99999': port 99999 is out of range", "rebind-to", "1", "2",
                "127.0.0.1:99999");
        assertUsage("bad address: 'localhost:http' is not an address", "rebind-to", "1", "2", "localhost:http");
        assertUsage("bad address: '::1:80': an IPv6 address needs brackets", "rebind-to", "1", "2", "::1:80");
        assertUsage("bad backlog '0'; expected a whole number from 1 to 65535", "set-backlog", "1", "2", "0");
        assertUsage("bad backlog '65536'; expected a whole number from 1 to 65535", "set-backlog", "1", "2", "65536");
        assertUsage("bad backlog 'lots'; expected a whole number", "set-backlog", "1", "2", "lots");
        assertUsage("missing argument for 'set-backlog'; usage: set-backlog <pid> <listenerId> <backlog>",
                "set-backlog", "1", "2");
        assertUsage("--json is for the commands that read or operate on a listener", "attach", "1", "--json");
        assertUsage("bad agent options 'histroy=5': unknown option 'histroy'; accepted: history=", "attach", "1",
                "histroy=5");
        assertUsage("bad agent options 'history=0': bad value '0' for option 'history'", "attach", "1",
                "history=0");
    }

    @Test
    void aPidThatIsNoJvmIsRefusedWithoutSignallingIt() throws Exception {
        assumeTrue(Files.exists(Path.of("/proc/self/status")), "the probe reads Linux's /proc");
        Process sleeper = new ProcessBuilder("sleep", "60").start();
        Path staleSocket = Path.of("/tmp/.java_pid" + sleeper.pid());
        try {
            // start() may return while the child is still the JDK's spawn helper, before it runs sleep
            Path comm = Path.of("/proc", Long.toString(sleeper.pid()), "comm");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(comm).trim().equals("sleep") && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertRefusedAlive(sleeper);
            // a dead JVM's attach socket under this pid (pids are reused; SIGKILL leaves the file behind,
            // and a machine that ran many JVMs has it for some pids already: then it is replaced by ours)
            Files.deleteIfExists(staleSocket);
            try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                stale.bind(UnixDomainSocketAddress.of(staleSocket));
            }
            assertRefusedAlive(sleeper);
        } finally {
            Files.deleteIfExists(staleSocket);
            sleeper.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        Result gone = run("close", Long.toString(sleeper.pid()), "1");
        assertEquals(1, gone.code());
        assertTrue(gone.err().contains("no process with pid " + sleeper.pid()), gone.err());
    }

    private static void assertRefusedAlive(Process sleeper) {
        Result result = run("list", Long.toString(sleeper.pid()));
        assertEquals(1, result.code());
        assertTrue(result.err().contains("pid " + sleeper.pid() + " (") && result.err().contains(
                "is not a running JVM that accepts attach"), result.err());
        assertTrue(sleeper.isAlive(), "the probe must not send SIGQUIT to a process that does not handle it");
    }

    @Test
    void attachingToItselfIsRefused() {
        Result self = run("list", Long.toString(ProcessHandle.current().pid()));
        assertEquals(1, self.code());
        assertTrue(self.err().contains("is this command itself"), self.err());
    }

    private static void assertUsage(String expected, String... args) {
        Result result = run(args);
        assertEquals(2, result.code(), String.join(" ", args) + ": " + result.err());
        assertTrue(result.err().startsWith("hotbind: " + expected), result.err());
        assertEquals(1, result.err().lines().count(), "one line: " + result.err());
        assertEquals("", result.out());
    }
}
