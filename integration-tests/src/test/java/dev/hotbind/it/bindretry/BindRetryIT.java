package dev.hotbind.it.bindretry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.BindingApp;
import dev.hotbind.it.harness.FlightRecordings;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.PortHolder;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.rebind.RebindIT;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.openmbean.CompositeData;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bindRetry option on a real JVM: another process (python3) holds the port the application binds;
 * the application's bind waits inside the call, counted on the Agent MBean, until the holder lets go,
 * then binds and serves, for a ServerSocket and a ServerSocketChannel. Once the duration (changed by a
 * repeat attach) passes, the application gets the very exception it gets without hotbind. On every
 * JDK, with -javaagent and after an attach (which retransforms the already loaded JDK classes). The
 * target runs with {@code -XX:+BytecodeVerificationLocal}: the JVM verifies the boot loader's classes
 * too, so the JDK classes as hotbind rewrote them (bind retry, accept, close) pass its verifier or fail
 * to load.
 */
class BindRetryIT {
    /**
     * Retries seen before the holder lets go, about a second of waiting: the application's thread is shown
     * to wait, not to have failed.
     */
    private static final int RETRIES_BEFORE_RELEASE = 12;
    /** A frame of hotbind's own code (the application's code here lives in dev.hotbind.it). */
    private static final Pattern HOTBIND_FRAME = Pattern.compile("BIND-FRAME dev\\.hotbind\\.(?!it\\.)");

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void aBindWaitsForItsPortThenServesAndGetsItsOwnExceptionOnceTheDurationPasses(Jdk jdk, TargetJvm.Mode mode)
            throws Exception {
        Path folder = Files.createTempDirectory("hotbind-bindretry");
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).agentOptions("bindRetry=10s")
                .jvmArg("-XX:+UnlockDiagnosticVMOptions").jvmArg("-XX:+BytecodeVerificationLocal")
                .jvmArg(FlightRecordings.JVM_ARG).start(BindingApp.READY, BindingApp.class.getName())) {
            HotbindJmx hotbind = target.hotbind();
            for (String kind : List.of("socket", "channel")) {
                try (PortHolder holder = PortHolder.start()) {
                    int port = holder.port();
                    target.send("bind " + kind + " " + port);
                    String address = "127.0.0.1:" + port;
                    Poll.until(kind + ": the application's bind waits for " + address + " (" + row(hotbind, address)
                            + ")", () -> {
                                CompositeData r = row(hotbind, address);
                                return r != null && (Integer) r.get("waitingNow") == 1
                                        && (Long) r.get("retries") >= RETRIES_BEFORE_RELEASE;
                            });
                    assertFalse(target.output().contains(kind + " bound port " + port), target.output());
                    holder.release();
                    long waited = Long.parseLong(target.awaitOutput(kind + " bound port " + port + " after (\\d+) ms"));
                    assertTrue(RebindIT.served(port), kind + " serves on " + address);
                    CompositeData r = row(hotbind, address);
                    assertEquals(1L, r.get("binds"), r.toString());
                    assertEquals(1L, r.get("bound"), r.toString());
                    assertEquals(0L, r.get("gaveUp"), r.toString());
                    assertEquals(0, r.get("waitingNow"), r.toString());
                    assertTrue(((String) r.get("lastOutcome")).startsWith("bound after "), r.toString());
                    System.out.println("BindRetryIT " + jdk + " " + mode + " " + kind + ": bound " + waited
                            + " ms after the bind call, " + r.get("retries") + " retries");
                }
            }

            // a shorter duration from a repeat attach; the port is never released in time
            target.attach("bindRetry=800ms");
            try (PortHolder holder = PortHolder.start()) {
                int port = holder.port();
                String expected = bindFailureWithoutHotbind(port);
                for (String kind : List.of("socket", "channel")) {
                    target.send("bind " + kind + " " + port);
                    String failure = target.awaitOutput("BIND-FAILURE " + kind + " (.*)");
                    assertEquals(expected, failure, "the application gets the exception it gets without hotbind");
                }
                assertFalse(HOTBIND_FRAME.matcher(target.output()).find(), "no frame of hotbind's in the "
                        + "application's exception:\n" + target.output());
                CompositeData r = row(hotbind, "127.0.0.1:" + port);
                assertEquals(2L, r.get("gaveUp"), r.toString());
                assertEquals(0L, r.get("bound"), r.toString());
                assertTrue(((String) r.get("lastOutcome")).startsWith("gave up after "), r.toString());
                assertTrue((Long) r.get("lastWaitMillis") >= 800, r.toString());
            }
            long total = 0;
            for (CompositeData r : hotbind.agentRows("BindRetriesByAddress")) {
                total += (Long) r.get("retries");
            }
            assertEquals(total, hotbind.agent("BindRetries"), "the total is the sum over addresses");
            assertFalse(target.output().contains("ACCEPT-FAILURE"), target.output());

            List<RecordedEvent> events = new ArrayList<>();
            FlightRecordings.dump(target, folder.resolve("bindretry.jfr"), events);
            List<RecordedEvent> retried = FlightRecordings.all(events, "dev.hotbind.BindRetried");
            assertEquals(4, retried.size(), retried.toString());
            assertEquals(2, retried.stream().filter(e -> e.getString("outcome").equals("bound")).count(),
                    retried.toString());
            assertEquals(2, retried.stream().filter(e -> e.getString("outcome").equals("gave up")
                    && e.getDuration().toMillis() >= 800).count(), retried.toString());
            assertTrue(retried.stream().allMatch(e -> e.getInt("retries") >= 1), retried.toString());
        } finally {
            try (Stream<Path> files = Files.list(folder)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(folder);
        }
    }

    /** The row of {@code address} in BindRetriesByAddress, or null while it has none. */
    private static CompositeData row(HotbindJmx hotbind, String address) {
        for (CompositeData r : hotbind.agentRows("BindRetriesByAddress")) {
            if (address.equals(r.get("address"))) {
                return r;
            }
        }
        return null;
    }

    /** What binding the held port gives in this JVM, which has no hotbind: the same for both kinds. */
    private static String bindFailureWithoutHotbind(int port) throws IOException {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        String socket = null;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(address);
        } catch (BindException e) {
            socket = e.toString();
        }
        try (ServerSocketChannel c = ServerSocketChannel.open()) {
            c.bind(address);
        } catch (BindException e) {
            assertEquals(socket, e.toString(), "a ServerSocket and a channel fail alike");
        }
        assertTrue(socket != null && socket.contains("Address already in use"), String.valueOf(socket));
        return socket;
    }
}
