package dev.hotbind.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The handles the attach discovery reads, on this JVM's own sockets and threads (JDK 17 here). */
class JdkHandlesTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void everyHandleResolves() {
        assertNull(CommonCleaner.UNAVAILABLE);
        assertNull(ThreadBlockers.UNAVAILABLE);
        assertNull(SocketImpls.UNAVAILABLE);
        assertNull(SelectorKeys.UNAVAILABLE);
    }

    @Test
    void theCleanerListHoldsAServerSocketsImplAndItsStandInIsTheSameSocket() throws IOException {
        try (ServerSocket server = new ServerSocket(0, 50, LOOPBACK)) {
            Object impl = SocketImpls.implOf(server);
            List<Object> servers = CommonCleaner.referents(o -> SocketImpls.isNioImpl(o) && SocketImpls.isServer(o));
            assertTrue(servers.stream().anyMatch(o -> o == impl), "the ServerSocket's impl is in the cleaner's list");
            assertEquals(server.getLocalPort(), SocketImpls.localPort(impl));
            ServerSocket standIn = SocketImpls.standIn(impl);
            assertEquals(server.getLocalSocketAddress(), standIn.getLocalSocketAddress());
            assertSame(impl, SocketImpls.implOf(standIn));
            try (Socket client = new Socket(LOOPBACK, server.getLocalPort()); Socket accepted = standIn.accept()) {
                assertEquals(client.getLocalPort(), accepted.getPort(), "the stand-in accepts on the very socket");
            }
        }
    }

    @Test
    void aThreadBlockedInChannelAcceptShowsItsChannel() throws Exception {
        try (ServerSocketChannel channel = ServerSocketChannel.open().bind(new InetSocketAddress(LOOPBACK, 0))) {
            Thread acceptor = new Thread(() -> {
                try {
                    channel.accept().close();
                } catch (IOException closed) {
                    // the test ends it
                }
            }, "test-acceptor");
            acceptor.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ThreadBlockers.blockedOn(acceptor) != channel && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertSame(channel, ThreadBlockers.blockedOn(acceptor));
            assertNull(ThreadBlockers.blockedOn(Thread.currentThread()));
            channel.close();
            acceptor.join(10_000);
            assertFalse(acceptor.isAlive());
        }
    }
}
