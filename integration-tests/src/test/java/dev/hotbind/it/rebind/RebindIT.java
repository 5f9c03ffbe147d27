package dev.hotbind.it.rebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.hotbind.it.apps.AcceptModelsApp;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Migration;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.PortJoiner;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import javax.management.MBeanException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * rebind, rebindTo, unbind and drain over JMX on a real JVM serving the three accept models, under
 * continuous connection churn, on every JDK, with -javaagent and after a dynamic attach. One target
 * JVM per JDK and mode carries all the assertions. After every operation a second process tries to
 * join the listener's port with SO_REUSEPORT and must be refused, as before any operation.
 */
class RebindIT {
    private static final int REBINDS = 50;

    static Stream<Arguments> targets() {
        List<Arguments> all = new ArrayList<>();
        for (Jdk jdk : Jdk.all()) {
            for (TargetJvm.Mode mode : List.of(TargetJvm.Mode.JAVAAGENT, TargetJvm.Mode.ATTACH)) {
                all.add(Arguments.of(jdk, mode));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("targets")
    void everyAcceptModelRebindsMovesUnbindsAndResumes(Jdk jdk, TargetJvm.Mode mode) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/sys/net/ipv4")), "rebind needs Linux");
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).start("accept-models ready",
                AcceptModelsApp.class.getName());
             PortJoiner joiner = PortJoiner.start()) {
            joinerJoinsASharedPort(joiner);
            HotbindJmx hotbind = target.hotbind();
            List<Long> micros = new ArrayList<>();
            List<String> models = new ArrayList<>(List.of("socket", "channel", "selector"));
            if (jdk.feature() >= 21) {
                models.add("virtual");
            }
            for (String name : models) {
                exercise(target, hotbind, joiner, name, target.awaitPort(name), mode, micros);
            }
            earlyAcceptorSurvives(target, hotbind, target.awaitPort("early"), mode);
            assertFalse(target.output().contains("ACCEPT-FAILURE"), "the application saw an exception:\n"
                    + target.output());
            Collections.sort(micros);
            System.out.println("RebindIT " + jdk + " " + mode + ": " + micros.size() + " rebinds, median "
                    + micros.get(micros.size() / 2) + " µs, p99 " + micros.get((int) (micros.size() * 0.99))
                    + " µs, max " + micros.get(micros.size() - 1) + " µs (tcp_migrate_req="
                    + Migration.setting() + ")");
        }
    }

    private void exercise(TargetJvm target, HotbindJmx hotbind, PortJoiner joiner, String model, int port,
                          TargetJvm.Mode mode, List<Long> micros) throws Exception {
        // after an attach, found with no traffic since; then shown to serve
        ObjectName listener = hotbind.listenerOnPort(port, mode);
        assertTrue(served(port), model + " serves before any operation");
        assertEquals("refused", joiner.tryJoin(port), model + ": another process joins the port before any operation");

        try (Churn churn = new Churn(port)) {
            Poll.until(model + ": churn is being served", () -> churn.served.get() > 10);
            for (int i = 0; i < REBINDS; i++) {
                CompositeData answer = hotbind.invoke(listener, "rebind");
                assertEquals("renewed", answer.get("kind"), String.valueOf(answer.get("summary")));
                micros.add((Long) answer.get("micros"));
            }
            long servedBefore = churn.served.get();
            Poll.until(model + ": churn still served after the rebinds", () -> churn.served.get() > servedBefore + 10);
            churn.close();
            System.out.println("RebindIT " + target.jdk() + " " + model + ": " + REBINDS + " rebinds under churn: "
                    + churn);
            assertEquals(0, churn.refused.get(), model + ": no connection refused during rebinds; " + churn);
            assertEquals(0, churn.other.get(), model + ": no other failure; " + churn);
            // renewed in place, the socket is never closed: nothing queued or in its handshake is lost,
            // with or without tcp_migrate_req
            assertEquals(0, churn.reset.get(), model + ": no connection reset during rebinds; " + churn);
            assertEquals(0, churn.stalled.get(), model + ": no connection left unanswered; " + churn);
        }
        assertEquals(Boolean.FALSE, hotbind.attribute(listener, "ReusePort"), "SO_REUSEPORT is not left on");
        assertEquals("refused", joiner.tryJoin(port), model + ": another process joins the port after rebind()");

        int free = freePort();
        CompositeData moved = hotbind.invoke(listener, "rebindTo", new Object[] {":" + free},
                new String[] {String.class.getName()});
        assertEquals("127.0.0.1:" + free, moved.get("to"), String.valueOf(moved.get("summary")));
        // re-registered under its new name before the answer came back
        assertFalse(HotbindJmx.isRegistered(hotbind.connection(), listener), listener + " still answers");
        ObjectName movedName = hotbind.listenerOnPort(free);
        assertNotNull(movedName, "no listener MBean on port " + free + " when rebindTo returned");
        assertEquals(free, hotbind.attribute(movedName, "LocalPort"));
        assertTrue(served(free), model + " serves on the new port");
        assertTrue(refused(port), model + ": the old port refuses");
        assertEquals("refused", joiner.tryJoin(free), model + ": another process joins the port after rebindTo");
        Poll.until("the application reports its new port", () -> {
            ask(target, "ports");
            return target.output().contains(" " + model + " " + free);
        });

        CompositeData unbound = hotbind.invoke(movedName, "unbind");
        if (model.equals("virtual")) {
            assertEquals(1, unbound.get("virtualThreadsUnparked"), String.valueOf(unbound.get("summary")));
        }
        assertEquals("127.0.0.1:" + free, unbound.get("address"));
        assertEquals("UNBOUND", hotbind.attribute(movedName, "State"), model);
        assertTrue(refused(free), model + ": refused while unbound; the unbind answered: " + unbound);
        if (!model.equals("selector")) {
            String[] waiting = (String[]) hotbind.attribute(movedName, "AcceptThreads");
            assertTrue(waiting.length > 0 && waiting[0].startsWith(model + "-acceptor"),
                    model + ": its accept thread is still inside accept: " + String.join(", ", waiting));
        }
        CompositeData resumed = hotbind.invoke(movedName, "rebind");
        assertEquals("from-unbound", resumed.get("kind"), String.valueOf(resumed.get("summary")));
        assertEquals("127.0.0.1:" + free, resumed.get("to"));
        assertEquals("BOUND", hotbind.attribute(movedName, "State"), model);
        assertTrue(served(free), model + " serves again after rebind");
        assertEquals("refused", joiner.tryJoin(free), model + ": another process joins the port after unbind+rebind");

        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // a refusal and a bad argument arrive as distinct JDK exceptions
            Throwable taken = refusal(hotbind, movedName, "127.0.0.1:" + other.getLocalPort());
            assertInstanceOf(IllegalStateException.class, taken);
            assertTrue(taken.getMessage().contains("is taken by another socket"), taken.getMessage());
        }
        Throwable malformed = refusal(hotbind, movedName, "localhost:port");
        assertInstanceOf(IllegalArgumentException.class, malformed);
        assertTrue(malformed.getMessage().contains("is not an address"), malformed.getMessage());
        assertTrue(served(free), model + " keeps serving after the refused operations");
        assertEquals(free, hotbind.attribute(movedName, "LocalPort"));

        CompositeData drained = hotbind.invoke(movedName, "drain", new Object[] {5000L},
                new String[] {long.class.getName()});
        assertEquals("UNBOUND", hotbind.attribute(movedName, "State"), model + " after drain: " + drained.get("summary"));
        assertTrue(refused(free), model + ": refused after the drain");
        hotbind.invoke(movedName, "rebind");
        assertTrue(served(free), model + " serves again after drain+rebind");
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

    /** The exception the refused rebindTo carried, as a client without hotbind's classes gets it. */
    private static Throwable refusal(HotbindJmx hotbind, ObjectName listener, String address) throws Exception {
        try {
            Object answer = hotbind.invoke(listener, "rebindTo", new Object[] {address},
                    new String[] {String.class.getName()});
            return fail("rebindTo " + address + " should have been refused but answered: " + answer);
        } catch (MBeanException e) {
            return e.getTargetException();
        }
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

    static boolean served(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            s.setSoTimeout(10_000);
            InputStream in = s.getInputStream();
            return in.read() == '!';
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

    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = probe.getLocalPort();
            assertNotEquals(0, port);
            return port;
        }
    }
}
