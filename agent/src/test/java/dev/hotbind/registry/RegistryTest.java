package dev.hotbind.registry;

import dev.hotbind.bootstrap.Hooks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry driven the way the advice drives it, on real loopback sockets. */
class RegistryTest {
    private final Registry registry = new Registry(8, null, null);
    private final List<String> published = new ArrayList<>();

    RegistryTest() {
        registry.observe(new RegistryObserver() {
            @Override
            public void listenerAdded(ListenerRecord listener) {
                published.add("added #" + listener.id());
            }

            @Override
            public void listenerRemoved(ListenerRecord listener) {
                published.add("removed #" + listener.id());
            }
        });
    }

    @Test
    void tracksServerSocketConnectionsFromAcceptToClose() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 7, InetAddress.getLoopbackAddress())) {
            registry.bound(server, 7);
            ListenerRecord listener = registry.listeners().get(0);
            assertEquals("ServerSocket", listener.kind());
            assertEquals(server.getLocalPort(), listener.localAddress().getPort());
            assertEquals(7, listener.backlog());
            assertTrue(listener.bindStack()[0].getMethodName().contains("tracksServerSocketConnections"),
                    "the bind stack starts at the binding code, not inside hotbind");

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                Object token = registry.acceptEnter(server);
                assertEquals(List.of(Thread.currentThread()), listener.acceptThreads());
                Socket accepted = server.accept();
                registry.acceptExit(token, server, accepted, null);

                assertEquals(List.of(), listener.acceptThreads());
                assertEquals(1, listener.acceptedCount());
                assertEquals(1, listener.openConnections());
                ConnectionRecord connection = registry.connections().get(0);
                assertSame(listener, connection.listener());
                assertEquals("127.0.0.1:" + client.getLocalPort(), connection.remoteAddress());

                registry.connectionClosing(accepted);
                accepted.close();
                assertEquals(0, listener.openConnections());
                assertEquals(List.of(), registry.connections());
                ConnectionRecord ended = registry.recentlyEndedConnections().get(0);
                assertEquals(ConnectionState.CLOSED, ended.state());
                assertEquals("127.0.0.1:" + client.getLocalPort(), ended.remoteAddress(), "kept at the close");
                assertEquals("127.0.0.1:" + server.getLocalPort(), ended.localAddress(), "kept at the close");
            }
            registry.serverClosing(server);
            assertEquals(List.of(), registry.listeners());
            assertEquals(ListenerState.CLOSED, registry.recentlyClosedListeners().get(0).state());
            assertEquals(List.of("added #1", "removed #1"), published);
        }
    }

    @Test
    void discoversAChannelBoundBeforeAttachOnItsNextAccept() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                Object token = registry.acceptEnter(server);
                SocketChannel accepted = server.accept();
                registry.acceptExit(token, server, accepted, null);

                ListenerRecord listener = registry.listeners().get(0);
                assertEquals("ServerSocketChannel", listener.kind());
                assertEquals(0, listener.boundAtMillis(), "bound before hotbind saw it");
                assertEquals(0, listener.bindStack().length);
                assertEquals(1, registry.connectionsOf(listener).size());

                registry.connectionClosing(accepted);
                accepted.close();
                assertEquals(0, listener.openConnections());
            }
        }
    }

    @Test
    void ignoresItsOwnSocketsAndUnixDomainListeners() throws Exception {
        try (ServerSocket own = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            Hooks.internally(() -> {
                registry.bound(own, 0);
                return null;
            });
        }
        try (ServerSocketChannel unix = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            unix.bind(null);
            registry.bound(unix, 0);
            java.nio.file.Files.deleteIfExists(java.nio.file.Path.of(unix.getLocalAddress().toString()));
        }
        assertEquals(List.of(), registry.listeners());
    }

    @Test
    void countsFailedAcceptsOnAClosedListener() throws Exception {
        ServerSocket server = new ServerSocket(0, 0, InetAddress.getLoopbackAddress());
        registry.bound(server, 0);
        ListenerRecord listener = registry.listeners().get(0);
        registry.serverClosing(server);
        server.close();
        for (int i = 0; i < 3; i++) {
            Object token = registry.acceptEnter(server);
            try {
                server.accept();
            } catch (java.net.SocketException expected) {
                registry.acceptExit(token, server, null, expected);
            }
        }
        assertEquals(3, listener.failedAccepts());
        assertNotNull(listener.lastFailure());
        assertTrue(registry.knownListeners().contains(listener), "a closed listener stays findable while it lives");
    }

    @Test
    void aDescriptorReusedBeforeItsCloseWasSeenRetiresTheOldRecord() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            registry.bound(server, 0);
            ListenerRecord listener = registry.listeners().get(0);
            try (Socket c1 = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                Socket first = server.accept();
                registry.acceptExit(registry.acceptEnter(server), server, first, null);
                try (Socket c2 = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    first.close(); // unseen by hotbind: the next accept reuses its descriptor number
                    Socket second = server.accept();
                    registry.acceptExit(registry.acceptEnter(server), server, second, null);
                    List<ConnectionRecord> open = registry.connections();
                    assertEquals(1, open.size());
                    assertSame(second, open.get(0).get());
                    assertEquals(1, listener.openConnections());
                    assertEquals(ConnectionState.LOST, registry.recentlyEndedConnections().get(0).state());
                    second.close();
                }
            }
        }
    }

    @Test
    void anAcceptTimeoutIsNoFailure() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            registry.bound(server, 0);
            server.setSoTimeout(1);
            Object token = registry.acceptEnter(server);
            try {
                server.accept();
            } catch (java.net.SocketTimeoutException expected) {
                registry.acceptExit(token, server, null, expected);
            }
            assertEquals(0, registry.listeners().get(0).failedAccepts());
        }
    }

    @Test
    void unknownIdsFindNothing() {
        assertNull(registry.listener(42));
        assertNull(registry.connection(42));
    }

    /** A listener whose socket is collected unclosed ends as if the application had closed it. */
    @Test
    void aCollectedListenerIsClosedByTheNextExpunge() throws Exception {
        long id = bindAndDrop();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
        while (registry.recentlyClosedListeners().isEmpty() && System.nanoTime() < deadline) {
            System.gc();
            registry.expungeCollected();
            Thread.sleep(10);
        }
        assertEquals(1, registry.recentlyClosedListeners().size(), "closed within the bound");
        ListenerRecord closed = registry.recentlyClosedListeners().get(0);
        assertEquals(id, closed.id());
        assertEquals(ListenerState.CLOSED, closed.state());
        assertTrue(closed.closedAtMillis() > 0);
        assertEquals(List.of(), registry.listeners());
        assertEquals(List.of("added #" + id, "removed #" + id), published);
        registry.expungeCollected();
        assertEquals(1, registry.recentlyClosedListeners().size(), "closed once");
    }

    /** Binds a listener the registry sees and leaves it unreachable, unclosed (its Cleaner frees the port). */
    private long bindAndDrop() throws Exception {
        ServerSocket dropped = new ServerSocket();
        dropped.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        registry.bound(dropped, 50);
        return registry.listeners().get(0).id();
    }
}
