package dev.hotbind.it.rebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.AcceptModelsApp;
import dev.hotbind.it.harness.ChurnClient;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Migration;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.PortJoiner;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rebind suite ({@link Rebinds}) on a real JVM serving the accept models (blocking ServerSocket,
 * blocking ServerSocketChannel, selector, a virtual thread on JDK 21+), on every JDK, with -javaagent
 * and after a dynamic attach; then what only these models show: a second process that tries to join
 * the listener's port with SO_REUSEPORT is refused before and after every operation, a thread blocked
 * in accept since before the attach is woken by rebind, a virtual acceptor is unparked by unbind, and
 * drain then rebind on each model. One target JVM per JDK and mode carries all the assertions.
 */
public class RebindIT {
    private static final int CHURN_THREADS = 2;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void everyAcceptModelRebindsMovesUnbindsAndResumes(Jdk jdk, TargetJvm.Mode mode) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/sys/net/ipv4")), "rebind needs Linux");
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).start("accept-models ready",
                AcceptModelsApp.class.getName());
             PortJoiner joiner = PortJoiner.start()) {
            joinerJoinsASharedPort(joiner);
            List<Long> micros = new ArrayList<>();
            List<String> models = new ArrayList<>(List.of("socket", "channel", "selector"));
            if (jdk.feature() >= 21) {
                models.add("virtual");
            }
            for (String name : models) {
                exercise(ModelListener.found(target, name, mode), joiner, micros);
            }
            earlyAcceptorSurvives(target, target.hotbind(), target.awaitPort("early"), mode);
            assertFalse(target.output().contains("ACCEPT-FAILURE"), "the application saw an exception:\n"
                    + target.output());
            Collections.sort(micros);
            System.out.println("RebindIT " + jdk + " " + mode + ": " + micros.size() + " rebinds, median "
                    + micros.get(micros.size() / 2) + " µs, p99 " + micros.get((int) (micros.size() * 0.99))
                    + " µs, max " + micros.get(micros.size() - 1) + " µs (tcp_migrate_req="
                    + Migration.setting() + ")");
        }
    }

    private void exercise(ModelListener l, PortJoiner joiner, List<Long> micros) throws Exception {
        String model = l.model();
        // after an attach, found with no traffic since; then shown to serve
        assertTrue(l.serves(), model + " serves before any operation");
        assertEquals("refused", joiner.tryJoin(l.port()), model + ": another process joins the port before any operation");

        Rebinds.rebindsUnderChurnFailNoRequest(l, CHURN_THREADS, micros);
        assertEquals("refused", joiner.tryJoin(l.port()), model + ": another process joins the port after rebind()");

        int free = Rebinds.rebindToMovesThePortAndTheClientFollows(l, "", CHURN_THREADS);
        assertEquals("refused", joiner.tryJoin(free), model + ": another process joins the port after rebindTo");
        Poll.until("the application reports its new port", () -> {
            ask(l.target(), "ports");
            return l.target().output().contains(" " + model + " " + free);
        });

        CompositeData unbound = Rebinds.unbindRefusesAndRebindServesAgain(l);
        if (model.equals("virtual")) {
            assertEquals(1, unbound.get("virtualThreadsUnparked"), String.valueOf(unbound.get("summary")));
        }
        assertEquals("refused", joiner.tryJoin(free), model + ": another process joins the port after unbind+rebind");

        Rebinds.unbindableAddressesFailAndKeepServing(l, CHURN_THREADS);
        Rebinds.malformedAddressesFailWithTheReason(l);

        CompositeData drained = l.invoke("drain", 5000L);
        assertEquals("UNBOUND", l.attribute("State"), model + " after drain: " + Rebinds.summary(drained));
        assertTrue(refused(free), model + ": refused after the drain");
        l.invoke("rebind");
        assertTrue(l.serves(), model + " serves again after drain+rebind");
        assertEquals("refused", joiner.tryJoin(free), model + ": another process joins the port after drain+rebind");
    }

    /** The control: the joiner does join a port whose listener shares it, so its refusals mean something. */
    private static void joinerJoinsASharedPort(PortJoiner joiner) throws Exception {
        try (ServerSocketChannel shared = ServerSocketChannel.open()) {
            shared.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            shared.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = ((InetSocketAddress) shared.getLocalAddress()).getPort();
            assertTrue(joiner.tryJoin(port).startsWith("joined"), "the joiner joins a SO_REUSEPORT listener's port");
        }
    }

    /**
     * A thread blocked in accept since before the attach runs code that was never instrumented; the
     * attach found the listener (its ServerSocket by its impl) and rebind signals that thread.
     */
    private void earlyAcceptorSurvives(TargetJvm target, HotbindJmx hotbind, int port, TargetJvm.Mode mode)
            throws Exception {
        ObjectName listener = hotbind.listenerOnPort(port, mode);
        CompositeData answer = hotbind.invoke(listener, "rebind");
        assertEquals(1, answer.get("threadsSignalled"), String.valueOf(answer.get("summary")));
        int before = count(target.output(), "early accepted by early-acceptor");
        assertTrue(served(port), "early serves after rebind");
        Poll.until("the thread blocked since start-up (" + mode + ") accepted after the rebind",
                () -> count(target.output(), "early accepted by early-acceptor") > before);
    }

    static void ask(TargetJvm target, String line) {
        try {
            OutputStream in = target.process().getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static int count(String text, String needle) {
        int n = 0;
        for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
            n++;
        }
        return n;
    }

    /** Whether a new connection to {@code port} gets the application's one byte. */
    public static boolean served(int port) {
        try {
            ChurnClient.ONE_BYTE.run(port);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean refused(int port) {
        String outcome = connectOutcome(port);
        if (!outcome.equals("refused")) {
            System.out.println("RebindIT: port " + port + " was expected to refuse but: " + outcome);
        }
        return outcome.equals("refused");
    }

    /** "refused", or how a connection that was not refused went: served by the application or not. */
    private static String connectOutcome(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(2000);
            return "connected from " + s.getLocalPort() + ", then read " + s.getInputStream().read();
        } catch (ConnectException e) {
            return "refused";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
