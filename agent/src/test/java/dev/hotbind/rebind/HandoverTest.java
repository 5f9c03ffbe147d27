package dev.hotbind.rebind;

import dev.hotbind.jdk.Descriptors;
import dev.hotbind.jdk.JdkListener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hand-over on real loopback sockets, without an agent: accept advice is played by the test. */
class HandoverTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void queuedClientsReachWhoeverAcceptsTheDoorbells() throws Exception {
        Handover handover = new Handover();
        List<Socket> clients = new ArrayList<>();
        ExecutorService delivering = Executors.newSingleThreadExecutor();
        try (ServerSocketChannel next = ServerSocketChannel.open()) {
            next.bind(new InetSocketAddress(LOOPBACK, 0));
            int oldPort;
            int held;
            try (ServerSocketChannel old = ServerSocketChannel.open()) {
                old.bind(new InetSocketAddress(LOOPBACK, 0));
                oldPort = ((InetSocketAddress) old.getLocalAddress()).getPort();
                for (int i = 0; i < 3; i++) {
                    clients.add(new Socket(LOOPBACK, oldPort));
                }
                held = Descriptors.dup(JdkListener.of(old).fd());
            }
            List<Handover.Queued> queued = handover.takeQueue(held);
            assertEquals(3, queued.size());
            assertThrows(ConnectException.class, () -> new Socket(LOOPBACK, oldPort).close(),
                    "the old socket is closed once its queue is taken");

            InetSocketAddress nextAddress = (InetSocketAddress) next.getLocalAddress();
            CompletableFuture<Handover.Delivery> delivery = CompletableFuture.supplyAsync(
                    () -> handover.deliver(queued, nextAddress), delivering);
            List<InetSocketAddress> peers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                SocketChannel accepted = next.accept();
                assertTrue(handover.expecting());
                handover.substitute(accepted);
                peers.add((InetSocketAddress) accepted.getRemoteAddress());
                assertEquals(oldPort, ((InetSocketAddress) accepted.getLocalAddress()).getPort());
                accepted.write(ByteBuffer.wrap(new byte[] {(byte) ('a' + i)}));
                accepted.close();
            }
            Handover.Delivery done = delivery.get(10, TimeUnit.SECONDS);
            assertEquals(3, done.handedOver(), done.toString());
            assertTrue(!handover.expecting());
            for (Socket client : clients) {
                assertTrue(peers.contains(client.getLocalSocketAddress()), peers + " has " + client);
                client.setSoTimeout(5000);
                int answer = client.getInputStream().read();
                assertTrue(answer >= 'a' && answer <= 'c', "each client is answered on its own connection: " + answer);
            }
        } finally {
            delivering.shutdownNow();
            for (Socket client : clients) {
                closeQuietly(client);
            }
        }
    }

    @Test
    void nothingQueuedMeansNothingToDeliver() throws Exception {
        Handover handover = new Handover();
        int held;
        try (ServerSocketChannel old = ServerSocketChannel.open()) {
            old.bind(new InetSocketAddress(LOOPBACK, 0));
            held = Descriptors.dup(JdkListener.of(old).fd());
        }
        List<Handover.Queued> queued = handover.takeQueue(held);
        assertEquals(List.of(), queued);
        assertEquals(Handover.Delivery.NONE, handover.deliver(queued, new InetSocketAddress(LOOPBACK, 1)));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the test is over
        }
    }
}
