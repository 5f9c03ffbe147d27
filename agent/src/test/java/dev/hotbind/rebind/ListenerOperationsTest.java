package dev.hotbind.rebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The operations on real loopback listeners served in each accept model (no agent: the registry is fed by hand). */
class ListenerOperationsTest {
    private final Handover handover = new Handover();
    private final Registry registry = new Registry(16, null, handover);
    private final ListenerOperations operations = new ListenerOperations(registry, handover);

    private ListenerRecord register(TestServer server) {
        registry.bound(server.server, 0);
        return registry.listeners().get(registry.listeners().size() - 1);
    }

    @ParameterizedTest
    @EnumSource(TestServer.Model.class)
    void sameAddressRebindRenewsTheSocketInPlace(TestServer.Model model) throws Exception {
        try (TestServer server = TestServer.start(model)) {
            ListenerRecord listener = register(server);
            int port = server.port();
            String socketBefore = kernelSocket(server);
            assertTrue(TestServer.served(port));
            for (int i = 0; i < 20; i++) {
                Rebound answer = operations.rebind(listener);
                assertEquals(listener.id(), answer.listenerId());
                assertEquals(Rebound.RENEWED, answer.kind(), answer.line());
                // the socket is never closed: nothing to reset, with or without tcp_migrate_req
                assertTrue(TestServer.served(port), "served after rebind " + i);
            }
            assertEquals(socketBefore, kernelSocket(server), "the same kernel socket");
            assertEquals(port, server.port());
            assertFalse(listener.reusePort(), "SO_REUSEPORT must not be left on");
            assertNotJoinable(port);
            assertTrue(server.acceptThreadAlive());
            assertEquals(java.util.List.of(), server.failures);
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Model.class)
    void setBacklogListensAgainInPlaceAndRefusesBadValuesAndAReleasedPort(TestServer.Model model) throws Exception {
        try (TestServer server = TestServer.start(model)) {
            ListenerRecord listener = register(server);
            String socketBefore = kernelSocket(server);
            BacklogSet answer = operations.setBacklog(listener, 3);
            assertEquals(50, answer.before(), answer.toString());
            assertEquals(3, answer.effective(), answer.toString());
            assertTrue(answer.summary().get(0).equals("listener #" + listener.id() + " " + listener.address()
                    + ": accept queue limit 50 -> 3"), answer.summary().toString());
            assertEquals(3, listener.backlog());
            assertEquals(socketBefore, kernelSocket(server), "the same kernel socket");
            assertTrue(TestServer.served(server.port()));
            for (int bad : new int[] {0, -5, 65_536}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> operations.setBacklog(listener, bad));
                assertTrue(e.getMessage().startsWith("backlog " + bad + " is out of range: 1 to 65535"), e.getMessage());
            }
            assertEquals(3, listener.backlog(), "a refused value changes nothing");
            operations.unbind(listener);
            IllegalStateException unbound = assertThrows(IllegalStateException.class,
                    () -> operations.setBacklog(listener, 8));
            assertTrue(unbound.getMessage().contains("is UNBOUND"), unbound.getMessage());
            operations.rebind(listener);
            assertTrue(TestServer.served(server.port()));
            assertEquals(java.util.List.of(), server.failures);
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Model.class)
    void rebindToMovesTheApplicationObject(TestServer.Model model) throws Exception {
        try (TestServer server = TestServer.start(model)) {
            ListenerRecord listener = register(server);
            int old = server.port();
            int free = freePort();
            Rebound answer = operations.rebindTo(listener, ":" + free);
            assertEquals(Rebound.MOVED, answer.kind(), answer.line());
            assertEquals("127.0.0.1:" + free, answer.to());
            assertTrue(answer.oldPortReleasedMicros() >= 0, answer.line());
            assertEquals(free, server.port());
            assertEquals(free, listener.localAddress().getPort());
            assertTrue(TestServer.served(free));
            assertFalse(TestServer.served(old), "the old port refuses");
            assertNotJoinable(free);
            assertEquals(java.util.List.of(), server.failures);
        }
    }

    /**
     * A move while the application's selector thread registers the channel and applies that registration
     * (its first select): the swap and re-arm must not leave the selector watching the old socket.
     */
    @Test
    void rebindToRacingTheSelectorsFirstRoundReachesTheSelector() throws Exception {
        for (int round = 0; round < 40; round++) {
            try (TestServer server = TestServer.starting(TestServer.Model.SELECTOR)) {
                ListenerRecord listener = register(server);
                int free = freePort();
                Rebound answer = operations.rebindTo(listener, ":" + free);
                assertEquals(Rebound.MOVED, answer.kind(), answer.line());
                assertTrue(TestServer.served(free), "round " + round + ": the selector serves the new socket; " + answer.line());
                assertEquals(java.util.List.of(), server.failures);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Model.class)
    void rebindToAnIpv6AddressInBrackets(TestServer.Model model) throws Exception {
        InetAddress v6 = InetAddress.getByName("::1");
        assumeTrue(java.net.NetworkInterface.getByInetAddress(v6) != null, "no ::1 on this host");
        try (TestServer server = TestServer.start(model)) {
            ListenerRecord listener = register(server);
            int free = freePort();
            Rebound answer = operations.rebindTo(listener, "[::1]:" + free);
            assertEquals("[0:0:0:0:0:0:0:1]:" + free, answer.to(), answer.line());
            assertEquals(v6, listener.localAddress().getAddress());
            try (java.net.Socket s = new java.net.Socket(v6, free)) {
                s.setSoTimeout(5000);
                assertEquals('!', s.getInputStream().read());
            }
            assertEquals(java.util.List.of(), server.failures);
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Model.class)
    void unbindHoldsAcceptThreadsUntilRebind(TestServer.Model model) throws Exception {
        try (TestServer server = TestServer.start(model)) {
            ListenerRecord listener = register(server);
            int port = server.port();
            Unbound unbound = operations.unbind(listener);
            assertTrue(unbound.portReleasedMicros() >= 0, unbound.line());
            assertEquals(ListenerState.UNBOUND, listener.state());
            assertFalse(TestServer.served(port), "refused while unbound");
            assertTrue(server.acceptThreadAlive());
            assertEquals(java.util.List.of(), server.failures);
            IllegalStateException twice = assertThrows(IllegalStateException.class, () -> operations.unbind(listener));
            assertTrue(twice.getMessage().contains("already unbound"), twice.getMessage());
            Rebound answer = operations.rebind(listener);
            assertEquals(Rebound.FROM_UNBOUND, answer.kind(), answer.line());
            assertEquals("127.0.0.1:" + port, answer.to());
            assertEquals(ListenerState.BOUND, listener.state());
            assertTrue(TestServer.served(port));
            assertNotJoinable(port);
            assertEquals(java.util.List.of(), server.failures);
        }
    }

    @ParameterizedTest
    @EnumSource(TestServer.Model.class)
    void failedBindLeavesTheListenerServing(TestServer.Model model) throws Exception {
        try (TestServer server = TestServer.start(model);
             ServerSocket other = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ListenerRecord listener = register(server);
            int port = server.port();
            boolean reusePortBefore = listener.reusePort();
            IllegalStateException taken = assertThrows(IllegalStateException.class,
                    () -> operations.rebindTo(listener, "127.0.0.1:" + other.getLocalPort()));
            assertTrue(taken.getMessage().contains("is taken by another socket"), taken.getMessage());
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> operations.rebindTo(listener, "127.0.0.1:99999"));
            assertTrue(bad.getMessage().contains("out of range"), bad.getMessage());
            IllegalArgumentException notLocal = assertThrows(IllegalArgumentException.class,
                    () -> operations.rebindTo(listener, "192.0.2.1:" + port));
            assertTrue(notLocal.getMessage().contains("not local"), notLocal.getMessage());
            IllegalStateException overItself = assertThrows(IllegalStateException.class,
                    () -> operations.rebindTo(listener, "0.0.0.0:" + port));
            assertTrue(overItself.getMessage().contains("unbind() first"), overItself.getMessage());
            assertEquals(port, server.port());
            assertEquals(reusePortBefore, listener.reusePort());
            assertTrue(TestServer.served(port));
            assertEquals(java.util.List.of(), server.failures);
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestServer.Model.class, names = "SERVER_SOCKET")
    void operationsAreSerialisedAndRefusedOnAClosedListener(TestServer.Model model) throws Exception {
        TestServer server = TestServer.start(model);
        ListenerRecord listener = register(server);
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread holder = new Thread(() -> operations.serialised(listener, () -> {
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            return null;
        }));
        holder.start();
        held.await();
        IllegalStateException busy = assertThrows(IllegalStateException.class, () -> operations.rebind(listener));
        assertTrue(busy.getMessage().contains("another operation on listener #" + listener.id() + " is in progress"),
                busy.getMessage());
        release.countDown();
        holder.join();
        server.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> operations.rebind(listener));
        assertTrue(closed.getMessage().contains("is already closed"), closed.getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = TestServer.Model.class, names = "BLOCKING_CHANNEL")
    void applicationOptionsSurviveAndItsReusePortStays(TestServer.Model model) throws Exception {
        try (TestServer server = TestServer.start(model)) {
            java.nio.channels.ServerSocketChannel channel = (java.nio.channels.ServerSocketChannel) server.server;
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 32 * 1024);
            channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            int rcvbuf = channel.getOption(StandardSocketOptions.SO_RCVBUF);
            ListenerRecord listener = register(server);
            operations.rebind(listener);
            assertEquals(rcvbuf, channel.getOption(StandardSocketOptions.SO_RCVBUF));
            assertTrue(channel.getOption(StandardSocketOptions.SO_REUSEPORT), "the application's own SO_REUSEPORT stays");
            assertTrue(TestServer.served(server.port()));
        }
    }

    /** {@code socket:[inode]}: which kernel socket the application's descriptor refers to. */
    private static String kernelSocket(TestServer server) throws Exception {
        dev.hotbind.jdk.JdkListener socket = dev.hotbind.jdk.JdkListener.of(server.server);
        int fd;
        synchronized (socket.stateLock()) {
            fd = socket.fd();
        }
        return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
    }

    /** Another socket asking for SO_REUSEPORT cannot bind the port the listener holds. */
    private static void assertNotJoinable(int port) throws Exception {
        try (java.nio.channels.ServerSocketChannel joiner = java.nio.channels.ServerSocketChannel.open()) {
            joiner.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            assertThrows(java.net.BindException.class,
                    () -> joiner.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return probe.getLocalPort();
        }
    }
}
