package dev.hotbind.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.Replies;
import dev.hotbind.it.harness.Background;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.RunningServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Issue 5 on a real server: drain(timeout) lets slow requests finish while new clients are refused,
 * force-closes what is left when the timeout passes (idle keep-alive connections included), and
 * drainOnShutdown does the same when the JVM gets SIGTERM, although each server app has the shutdown
 * hook its deployments use, which closes the listener. Each drain ends with rebind(), so the
 * shared target serves again; the SIGTERM goes to a target of its own.
 */
interface DrainsListener extends ServerUnderTest {
    int IN_FLIGHT = 3;
    /** Each request is slow twice: its client sends its end only once the drain is seen, then the server sleeps. */
    int SLOW_MILLIS = 300;
    long FORCE_AFTER_MILLIS = 300;

    @Order(19)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void badTimeoutsAreRejectedAndChangeNothing(Setup setup) throws Exception {
        RunningServer server = drainable(setup);
        // 0 too: JConsole pre-fills it, and taken as "force-close at once" one click would cut every client off
        for (long bad : new long[] {0, -1, 86_400_001}) {
            MBeanException refused = assertThrows(MBeanException.class, () -> server.drain(bad));
            assertEquals(IllegalArgumentException.class, refused.getTargetException().getClass(), messages(refused));
            assertTrue(messages(refused).contains("timeoutMillis must be from 1 to 86400000 (24 hours): how long, in "
                    + "ms, the application gets to close its connections"), messages(refused));
            assertTrue(messages(refused).contains("; got " + bad), messages(refused));
        }
        assertEquals("BOUND", server.attribute("State"));
        assertEquals(-1, server.attribute("DrainRemaining"));
        assertEquals(Replies.BODY, server.get("/"));
    }

    @Order(20)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void slowRequestsCompleteDuringADrainWhileNewClientsAreRefused(Setup setup) throws Exception {
        RunningServer server = drainable(setup);
        int port = server.port();
        List<Http.InFlight> requests = inFlight(port, SLOW_MILLIS);
        try {
            awaitOpenConnections(server, IN_FLIGHT);
            CompletableFuture<CompositeData> drain = Background.start("drain", () -> {
                try {
                    return server.drain(60_000);
                } catch (Exception e) {
                    throw new AssertionError("drain(60000) failed", e);
                }
            });
            String state = Poll.value("the drain begun", () -> drain.isDone() ? "finished before seen: "
                    + drain.join().get("summary")
                    : "DRAINING".equals(server.attribute("State")) ? "DRAINING" : null);
            assertEquals("DRAINING", state);
            awaitPortReleased(server);
            assertTrue(Http.refuses(port), "a new client was accepted on port " + port + " while draining");
            assertEquals(IN_FLIGHT, server.attribute("DrainRemaining"));
            assertTrue(((String) server.attribute("Drain")).startsWith("draining for "),
                    (String) server.attribute("Drain"));
            // one drain at a time, and no rebind until it has finished
            assertTrue(messages(assertThrows(Exception.class, () -> server.drain(1000))).contains(
                    "is already draining for "));
            assertTrue(messages(assertThrows(Exception.class, () -> server.invoke("rebind"))).contains(
                    "is draining (its Drain attribute shows the connections remaining); rebind() is possible "
                    + "once the drain has finished"));

            for (Http.InFlight request : requests) {
                request.complete();
            }
            for (Http.InFlight request : requests) {
                assertEquals(Replies.BODY, request.answer());
            }
            CompositeData drained = drain.get(90, TimeUnit.SECONDS);
            String summary = (String) drained.get("summary");
            assertEquals((long) IN_FLIGHT, drained.get("closedByApplication"), summary);
            assertEquals(0, drained.get("forceClosed"), summary);
            assertReleasedUntilRebind(server);
            assertEquals("last drain: " + summary.replace("\n", "; "), server.attribute("Drain"));
        } finally {
            closeAll(requests);
        }
        rebindAndServe(server);
    }

    @Order(21)
    @ParameterizedTest(name = "{0}")
    @MethodSource(SETUPS)
    default void aShortTimeoutForceClosesSlowAndIdleConnectionsAndCountsThem(Setup setup) throws Exception {
        RunningServer server = drainable(setup);
        int port = server.port();
        try (Http.KeepAlive first = new Http.KeepAlive(port); Http.KeepAlive second = new Http.KeepAlive(port);
             Http.InFlight slow = new Http.InFlight(port, Replies.SLOW + "?ms=20000").complete()) {
            // served, then idle: the server keeps them open for its next requests
            assertEquals(Replies.BODY, first.get("/"));
            assertEquals(Replies.BODY, second.get("/"));
            awaitOpenConnections(server, 3);

            CompositeData drained = server.drain(FORCE_AFTER_MILLIS);
            String summary = (String) drained.get("summary");
            assertEquals(0L, drained.get("closedByApplication"), summary);
            assertEquals(3, drained.get("forceClosed"), summary);
            assertEquals(FORCE_AFTER_MILLIS, drained.get("timeoutMillis"), summary);
            assertTrue(first.endedByServer(), "the first idle client still connected");
            assertTrue(second.endedByServer(), "the second idle client still connected");
            // read only now: its answer was 20 s away, so an end within the read timeout is the drain's doing
            IOException cut = assertThrows(IOException.class, slow::answer, "the slow request was answered");
            assertFalse(cut instanceof SocketTimeoutException, "the slow request was not cut by the drain: " + cut);
        }
        assertEquals(0, server.attribute("OpenConnections"));
        assertReleasedUntilRebind(server);
        rebindAndServe(server);
    }

    @Order(30)
    @ParameterizedTest(name = "{0}")
    @MethodSource(JAVAAGENT_SETUPS)
    default void drainOnShutdownLetsSlowRequestsFinishOnSigterm(Setup setup) throws Exception {
        RunningServer server = exiting(setup);
        int port = server.port();
        List<Http.InFlight> requests = new ArrayList<>();
        try {
            String options = (String) server.hotbind().agent("Options");
            assertTrue(options.contains(DRAIN_ON_SHUTDOWN), options);
            requests.addAll(inFlight(port, SLOW_MILLIS));
            awaitOpenConnections(server, IN_FLIGHT);
            // SIGTERM through the handle: Process.destroy() would also close our end of the target's output
            long sigterm = System.nanoTime();
            server.target().process().toHandle().destroy();

            // JMX stays up while the shutdown hooks run
            Poll.until("State DRAINING after SIGTERM", () -> "DRAINING".equals(server.attribute("State")));
            awaitPortReleased(server);
            assertTrue(Http.refuses(port), "a new client was accepted on port " + port + " while draining on exit");
            for (Http.InFlight request : requests) {
                request.complete();
            }
            for (Http.InFlight request : requests) {
                assertEquals(Replies.BODY, request.answer());
            }
            server.target().awaitExit(Duration.ofSeconds(60));
            Duration exit = Duration.ofNanos(System.nanoTime() - sigterm);
            // the server's own shutdown hook closed its listener: the drain still ran first, within its bound
            assertTrue(exit.toSeconds() < 30, "exit " + exit.toMillis() + " ms after SIGTERM; drainOnShutdown=30s");
            // the exited JVM's last lines may still be on their way through the pipe
            String drained = "hotbind: drained listener #" + server.listenerId() + " ";
            String report = Poll.value("hotbind's drain report in the output", () -> server.target().output().lines()
                    .filter(line -> line.startsWith(drained)).findFirst().orElse(null));
            assertTrue(report.contains("; " + IN_FLIGHT + " connection(s) closed by the application; 0 force-closed;"),
                    report);
            assertTrue(server.target().output().contains(
                    "hotbind: JVM exiting; draining every listener for at most "), server.target().output());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; output of " + server + ":\n" + server.target().output(), e);
        } finally {
            closeAll(requests);
        }
    }

    /** The server, serving, with no connection left open by the tests before. */
    private RunningServer drainable(Setup setup) throws Exception {
        RunningServer server = server(setup);
        assertEquals("BOUND", server.attribute("State"));
        assertEquals(-1, server.attribute("DrainRemaining"), "no drain running");
        assertEquals(Replies.BODY, server.get("/"));
        awaitOpenConnections(server, 0);
        return server;
    }

    /** {@link #IN_FLIGHT} requests for /slow, each held before its end until completed. */
    private static List<Http.InFlight> inFlight(int port, int millis) throws IOException {
        List<Http.InFlight> requests = new ArrayList<>();
        try {
            for (int i = 0; i < IN_FLIGHT; i++) {
                requests.add(new Http.InFlight(port, Replies.SLOW + "?ms=" + millis));
            }
            return requests;
        } catch (IOException | RuntimeException e) {
            closeAll(requests);
            throw e;
        }
    }

    private static void closeAll(List<Http.InFlight> requests) throws IOException {
        for (Http.InFlight request : requests) {
            request.close();
        }
    }

    private static void awaitOpenConnections(RunningServer server, int count) {
        Poll.until(count + " open connection(s) on " + server, () -> Integer.valueOf(count).equals(
                server.attribute("OpenConnections")));
    }

    /** After a drain the listener stays unbound and its port refuses, until rebind(). */
    private static void assertReleasedUntilRebind(RunningServer server) {
        assertEquals("UNBOUND", server.attribute("State"));
        assertTrue(Http.refuses(server.port()), "port " + server.port() + " accepts after the drain, before rebind()");
    }

    private static void rebindAndServe(RunningServer server) throws Exception {
        CompositeData answer = server.invoke("rebind");
        assertEquals("127.0.0.1:" + server.port(), answer.get("to"), String.valueOf(answer.get("summary")));
        assertEquals("BOUND", server.attribute("State"));
        assertEquals(Replies.BODY, server.get("/"));
    }

    /** DRAINING holds from a drain's first instant; DrainRemaining counts once the port is released. */
    private static void awaitPortReleased(RunningServer server) {
        Poll.until("the port released, the drain counting", () -> (Integer) server.attribute("DrainRemaining") >= 0);
    }

    /** Every message in the cause chain: JMX wraps hotbind's answer. */
    private static String messages(Throwable t) {
        StringBuilder out = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            out.append(c.getMessage()).append(" | ");
        }
        return out.toString();
    }
}
