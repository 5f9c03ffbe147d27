package dev.hotbind.it.rebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.AcceptModelsApp;
import dev.hotbind.it.harness.Background;
import dev.hotbind.it.harness.FreePort;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connections waiting in a listener's accept queue when hotbind replaces or releases its socket are
 * handed to the application instead of being reset by the close; a same-port rebind, which renews
 * the socket in place, leaves them in its queue. The test application's accept
 * loop pauses (its {@code pause} command) while clients connect, so they are certainly queued in the
 * kernel when the operation runs, and resumes once hotbind has taken them; each must then be served
 * by the application.
 */
class QueueHandoverIT {
    private static final int QUEUED = 5;
    private static final String STRING = String.class.getName();

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void queuedConnectionsReachTheApplication(Jdk jdk, TargetJvm.Mode mode) throws Exception {
        Assumptions.assumeTrue(Files.exists(Path.of("/proc/sys/net/ipv4")), "rebind needs Linux");
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).start("accept-models ready",
                AcceptModelsApp.class.getName())) {
            HotbindJmx hotbind = target.hotbind();

            long pid = target.pid();
            int socketPort = target.awaitPort("socket");
            ObjectName socket = listener(hotbind, socketPort, mode);
            int moved = FreePort.pick();
            List<Socket> clients = queue(target, "socket", socketPort);
            CompositeData answer = whilePaused(target, "socket", () -> hotbind.invoke(socket, "rebindTo",
                    new Object[] {":" + moved}, new String[] {STRING}), () -> !listening(pid).contains(socketPort));
            assertHandedOver(answer, clients, "socket rebindTo");
            assertTrue(RebindIT.refused(socketPort), "the old port refuses after the move");

            int selectorPort = target.awaitPort("selector");
            ObjectName selector = listener(hotbind, selectorPort, mode);
            int selectorMoved = FreePort.pick();
            clients = queue(target, "selector", selectorPort);
            answer = whilePaused(target, "selector", () -> hotbind.invoke(selector, "rebindTo",
                    new Object[] {":" + selectorMoved}, new String[] {STRING}),
                    () -> !listening(pid).contains(selectorPort));
            assertHandedOver(answer, clients, "selector rebindTo");

            int channelPort = target.awaitPort("channel");
            ObjectName channel = listener(hotbind, channelPort, mode);
            clients = queue(target, "channel", channelPort);
            // renewed in place: the queue stays on the same socket, and the application accepts it there
            answer = whilePaused(target, "channel", () -> hotbind.invoke(channel, "rebind"), () -> false);
            assertEquals("renewed", answer.get("kind"), String.valueOf(answer.get("summary")));
            assertEquals(0, answer.get("queued"), String.valueOf(answer.get("summary")));
            assertServed(clients, "channel rebind");

            clients = queue(target, "channel", channelPort);
            answer = whilePaused(target, "channel", () -> hotbind.invoke(channel, "unbind"),
                    () -> !listening(pid).contains(channelPort));
            assertHandedOver(answer, clients, "channel unbind");
            assertEquals("UNBOUND", hotbind.attribute(channel, "State"));
            assertTrue(RebindIT.refused(channelPort), "refused while unbound");
            answer = hotbind.invoke(channel, "rebind");
            assertTrue(RebindIT.served(channelPort), "serves again after rebind: " + answer.get("summary"));

            assertFalse(target.output().contains("ACCEPT-FAILURE"), "the application saw an exception:\n"
                    + target.output());
        }
    }

    /** Found idle (after an attach: with no traffic since), then shown to serve before any operation. */
    private static ObjectName listener(HotbindJmx hotbind, int port, TargetJvm.Mode mode) throws Exception {
        ObjectName name = hotbind.listenerOnPort(port, mode);
        assertTrue(RebindIT.served(port), "serves before any operation");
        return name;
    }

    /** Pauses the model's accept loop, then connects clients that wait in the kernel's accept queue. */
    private static List<Socket> queue(TargetJvm target, String model, int port) throws IOException {
        int pausedBefore = RebindIT.count(target.output(), model + " paused");
        int notedBefore = RebindIT.count(target.output(), "pause " + model + " noted");
        RebindIT.ask(target, "pause " + model);
        Poll.until(model + " notes the pause", () -> RebindIT.count(target.output(), "pause " + model + " noted") > notedBefore);
        assertTrue(RebindIT.served(port), model + " serves the connection after which it pauses");
        Poll.until(model + " pauses its accept loop", () -> RebindIT.count(target.output(), model + " paused") > pausedBefore);
        List<Socket> clients = new ArrayList<>();
        for (int i = 0; i < QUEUED; i++) {
            Socket client = new Socket();
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            client.setSoTimeout(10_000);
            clients.add(client);
        }
        return clients;
    }

    /**
     * Runs {@code operation} while the model's accept loop is paused, and resumes the loop once
     * {@code queueTaken} shows hotbind has taken the old socket's queue: the application then
     * accepts the doorbells the operation waits for.
     */
    private static CompositeData whilePaused(TargetJvm target, String model, Callable<Object> operation,
                                      Supplier<Boolean> queueTaken) throws Exception {
        CompletableFuture<Object> answer = Background.start(model + " operation", () -> {
            try {
                return operation.call();
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try {
            Poll.until(model + ": hotbind takes the queue", () -> answer.isDone() || queueTaken.get());
        } finally {
            RebindIT.ask(target, "resume " + model);
        }
        return (CompositeData) answer.get(60, TimeUnit.SECONDS);
    }

    private static Set<Integer> listening(long pid) {
        try {
            return ListeningSockets.portsOf(pid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertHandedOver(CompositeData answer, List<Socket> clients, String what) {
        assertEquals(QUEUED, answer.get("queued"), what + ": " + answer.get("summary"));
        assertEquals(QUEUED, answer.get("handedOver"), what + ": " + answer.get("summary"));
        assertServed(clients, what);
    }

    private static void assertServed(List<Socket> clients, String what) {
        for (Socket client : clients) {
            try (Socket queued = client) {
                assertEquals('!', queued.getInputStream().read(), what + ": a queued client is served");
            } catch (IOException e) {
                throw new AssertionError(what + ": a queued client was not served: " + e, e);
            }
        }
    }
}
