package dev.hotbind.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/**
 * Every handle of this package against real loopback sockets of the JVM running the tests: the
 * build runs it on JDK 17 and on JDK 25, so a renamed JDK member fails here first.
 */
class JdkHandlesTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final InetSocketAddress MOVED_PEER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4321);
    private static final InetSocketAddress MOVED_LOCAL = new InetSocketAddress(InetAddress.getLoopbackAddress(), 4322);

    @Test
    void everyStructureResolvesOnThisJdk() {
        for (Availability a : new Availability[] {FileDescriptors.AVAILABILITY, SocketImpls.AVAILABILITY,
                NioSocketImpls.AVAILABILITY, ServerSocketChannels.AVAILABILITY, SocketChannels.AVAILABILITY,
                SelectionKeys.AVAILABILITY, Descriptors.availability(), JdkListener.swapAvailability(),
                JdkConnection.availability(), ServerSockets.AVAILABILITY, JdkImpls.availability(),
                CommonCleaner.availability(), ThreadBlockers.availability(), SelectionKeys.readAvailability(),
                InternalUnsafe.AVAILABILITY, JdkImpls.acceptingThreadAvailability()}) {
            assertTrue(a.available(), a.toString());
        }
    }

    @Test
    void serverSocketListener() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(LOOPBACK);
            JdkListener listener = JdkListener.of(server);
            assertSame(server, listener.server());
            assertTrue(listener.isOpen());
            assertNull(listener.family());
            assertEquals(server.getLocalSocketAddress(), listener.localAddress());
            int fd = listener.fd();
            assertTrue(fd > 2, "descriptor " + fd);
            assertEquals(fd, JdkListener.fdOf(server));
            assertEquals(server.getLocalSocketAddress(), Descriptors.localAddress(Descriptors.descriptor(fd)));
            assertNotNull(listener.stateLock());
            assertTrue(!listener.nonBlockingFd());
            assertEquals(0, listener.rearmSelectionKeys());
            assertEquals(0, listener.nativeThread());
            Throwable[] failure = new Throwable[1];
            Thread acceptor = acceptInBackground(() -> server.accept().close(), failure);
            until(() -> nativeThread(listener) != 0);
            assertSame(acceptor, JdkImpls.acceptingThread(JdkImpls.implOf(server)), "the accept lock's owner");
            signalLeavesTheAcceptWaiting(listener, acceptor);
            // listening again only sets the backlog: the waiting accept takes the next client as before
            Descriptors.listen(fd, 7);
            new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort()).close();
            finished(acceptor, failure);

            InetAddress any = new InetSocketAddress(0).getAddress();
            synchronized (listener.stateLock()) {
                listener.cacheLocalAddress(new InetSocketAddress(any, 0), new InetSocketAddress(any, 4321));
            }
            assertEquals(any, server.getInetAddress());
            assertEquals(4321, server.getLocalPort());
        }
    }

    @Test
    void blockingChannelListener() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            JdkListener listener = JdkListener.of(server);
            assertEquals(StandardProtocolFamily.INET, listener.family());
            assertEquals(server.getLocalAddress(), listener.localAddress());
            assertEquals(listener.fd(), JdkListener.fdOf(server));
            assertTrue(!listener.nonBlockingFd());
            assertEquals(0, listener.nativeThread());
            Throwable[] failure = new Throwable[1];
            Thread acceptor = acceptInBackground(() -> server.accept().close(), failure);
            until(() -> nativeThread(listener) != 0);
            signalLeavesTheAcceptWaiting(listener, acceptor);
            SocketChannel.open(server.getLocalAddress()).close();
            finished(acceptor, failure);

            InetSocketAddress elsewhere = new InetSocketAddress("127.0.0.1", 4321);
            synchronized (listener.stateLock()) {
                listener.cacheLocalAddress(elsewhere, elsewhere);
            }
            assertEquals(elsewhere, server.getLocalAddress());
        }
    }

    /**
     * A channel's configureBlocking sets the descriptor's mode first and its own flag after, outside the
     * state lock: the mode a swap gives the new socket is the kernel's, read from the descriptor.
     */
    @Test
    void descriptorModeIsReadFromTheKernelNotTheJdksFlag() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(LOOPBACK);
            JdkListener listener = JdkListener.of(server);
            assertFalse(listener.nonBlockingFd());
            // the state a configureBlocking(false) is in between its two steps
            Descriptors.configureBlocking(Descriptors.descriptor(listener.fd()), false);
            assertTrue(server.isBlocking(), "the JDK's flag not yet set");
            assertTrue(listener.nonBlockingFd());
            Descriptors.configureBlocking(Descriptors.descriptor(listener.fd()), true);
            assertFalse(listener.nonBlockingFd());
        }
    }

    @Test
    void selectorChannelListenerIsReArmedAfterADup2() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open();
             ServerSocketChannel replacement = ServerSocketChannel.open();
             Selector selector = Selector.open()) {
            server.bind(LOOPBACK);
            replacement.bind(LOOPBACK);
            server.configureBlocking(false);
            replacement.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            assertEquals(0, selector.selectNow());
            JdkListener listener = JdkListener.of(server);
            assertTrue(listener.nonBlockingFd());
            int held = Descriptors.dup(listener.fd());
            try {
                synchronized (listener.stateLock()) {
                    Descriptors.dup2(JdkListener.of(replacement).fd(), listener.fd());
                }
                assertEquals(1, listener.rearmSelectionKeys());
                SocketChannel.open(replacement.getLocalAddress()).close();
                assertEquals(1, selector.select(TimeUnit.SECONDS.toMillis(10)));
                assertTrue(server.accept() != null, "the selector saw the connection on the new socket");
            } finally {
                Descriptors.close(held);
            }
        }
    }

    @Test
    void descriptorOperations() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(LOOPBACK);
            int held = Descriptors.dup(JdkListener.fdOf(server));
            assertNotEquals(JdkListener.fdOf(server), held);
            FileDescriptor listening = Descriptors.descriptor(held);
            assertEquals(held, Descriptors.number(listening));
            assertEquals(server.getLocalAddress(), Descriptors.localAddress(listening));
            Descriptors.configureBlocking(listening, false);
            FileDescriptor accepted = new FileDescriptor();
            InetSocketAddress[] peer = new InetSocketAddress[1];
            assertEquals(Descriptors.UNAVAILABLE, Descriptors.accept(listening, accepted, peer));
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.socket().getLocalPort())) {
                int n;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                do {
                    n = Descriptors.accept(listening, accepted, peer);
                } while ((n == Descriptors.UNAVAILABLE || n == Descriptors.INTERRUPTED) && System.nanoTime() < deadline);
                assertEquals(1, n);
                assertEquals(client.getLocalSocketAddress(), peer[0]);
                int fd = Descriptors.number(accepted);
                assertEquals(client.getRemoteSocketAddress(), Descriptors.localAddress(accepted));
                Descriptors.close(fd);
                assertEquals(-1, client.getInputStream().read(), "closing the descriptor ends the connection");
            } finally {
                Descriptors.close(held);
            }
            assertTrue(Descriptors.INTERRUPTED < 0 && Descriptors.UNAVAILABLE < 0
                    && Descriptors.INTERRUPTED != Descriptors.UNAVAILABLE);
        }
    }

    @Test
    void acceptedSocket() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(LOOPBACK);
            // new Socket() wraps the JDK's implementation in a DelegatingSocketImpl: unwrapped too
            try (Socket client = new Socket()) {
                client.connect(server.getLocalSocketAddress());
                try (Socket accepted = server.accept()) {
                    int fd = JdkConnection.fdOf(accepted);
                    int clientFd = JdkConnection.fdOf(client);
                    assertTrue(fd > 2 && clientFd > 2 && fd != clientFd, fd + " " + clientFd);
                    assertEquals(accepted.getLocalSocketAddress(), Descriptors.localAddress(Descriptors.descriptor(fd)));
                    assertEquals(client.getLocalSocketAddress(),
                            Descriptors.localAddress(Descriptors.descriptor(clientFd)));
                    assertNull(JdkConnection.channelRemoteAddress(accepted));
                    readdress(accepted, fd, accepted.getRemoteSocketAddress());
                    assertEquals(MOVED_PEER, accepted.getRemoteSocketAddress());
                    assertEquals(MOVED_LOCAL.getPort(), accepted.getLocalPort());
                }
            }
        }
    }

    @Test
    void acceptedChannel() throws Exception {
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(LOOPBACK);
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress());
                 SocketChannel accepted = server.accept()) {
                int fd = JdkConnection.fdOf(accepted);
                assertEquals(accepted.getLocalAddress(), Descriptors.localAddress(Descriptors.descriptor(fd)));
                assertEquals(accepted.getLocalAddress(), JdkConnection.channelLocalAddress(accepted));
                assertEquals(accepted.getRemoteAddress(), JdkConnection.channelRemoteAddress(accepted));
                readdress(accepted, fd, client.getLocalAddress());
                assertEquals(MOVED_PEER, accepted.getRemoteAddress());
                assertEquals(MOVED_LOCAL, accepted.getLocalAddress());
                accepted.close();
                assertEquals(MOVED_LOCAL, JdkConnection.channelLocalAddress(accepted), "readable once closed");
            }
        }
    }

    @Test
    void theCleanerListHoldsAServerSocketsImplAndItsStandInIsTheSameSocket() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(LOOPBACK);
            Object impl = JdkImpls.implOf(server);
            List<Object> servers = CommonCleaner.referents(o -> JdkImpls.isNio(o) && JdkImpls.isServer(o));
            assertTrue(servers.stream().anyMatch(o -> o == impl), "the ServerSocket's impl is in the cleaner's list");
            assertEquals(server.getLocalPort(), JdkImpls.localPort(impl));
            assertEquals(JdkListener.fdOf(server), JdkImpls.fd(impl));
            ServerSocket standIn = JdkImpls.standIn(impl);
            assertEquals(server.getLocalSocketAddress(), standIn.getLocalSocketAddress());
            assertSame(impl, JdkImpls.implOf(standIn));
            assertNull(JdkImpls.acceptingThread(impl), "no thread inside accept");
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 Socket accepted = standIn.accept()) {
                assertEquals(client.getLocalPort(), accepted.getPort(), "the stand-in accepts on the very socket");
                Object connection = JdkImpls.implOf(accepted);
                assertTrue(JdkImpls.isNio(connection) && !JdkImpls.isServer(connection));
                assertEquals(client.getLocalSocketAddress(), JdkImpls.remote(connection));
                assertEquals(accepted.getReceiveBufferSize(), JdkImpls.option(connection, StandardSocketOptions.SO_RCVBUF));
                JdkImpls.close(connection);
                assertEquals(-1, client.getInputStream().read(), "closing the impl ends the connection");
            }
            JdkImpls.markClosed(server);
            assertTrue(server.isClosed(), "the application's object reports a close done through the stand-in");
        }
    }

    @Test
    void aThreadBlockedInChannelAcceptShowsItsChannel() throws Exception {
        try (ServerSocketChannel channel = ServerSocketChannel.open().bind(LOOPBACK)) {
            Throwable[] failure = new Throwable[1];
            Thread acceptor = acceptInBackground(() -> channel.accept(), failure);
            until(() -> ThreadBlockers.blockedOn(acceptor) == channel);
            assertNull(ThreadBlockers.blockedOn(Thread.currentThread()));
            channel.close();
            acceptor.join(TimeUnit.SECONDS.toMillis(10));
            assertFalse(acceptor.isAlive());
        }
    }

    @Test
    void aThreadSelectingShowsItsSelectorAndItsKeys() throws Exception {
        try (ServerSocketChannel channel = ServerSocketChannel.open().bind(LOOPBACK);
             Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_ACCEPT);
            Throwable[] failure = new Throwable[1];
            Thread selecting = acceptInBackground(selector::select, failure);
            until(() -> ThreadBlockers.blockedOn(selecting) == selector);
            List<SelectionKeys.Registration> keys = SelectionKeys.of(selector);
            assertEquals(1, keys.size());
            assertSame(channel, keys.get(0).channel());
            assertTrue(keys.get(0).accepting());
            selector.wakeup();
            finished(selecting, failure);
        }
    }

    @Test
    void virtualThreads() throws Exception {
        assertTrue(!VirtualThreads.isVirtual(Thread.currentThread()));
        if (Runtime.version().feature() >= 21) {
            assertTrue(VirtualPollers.availability().available(), VirtualPollers.availability().toString());
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            boolean[] seen = new boolean[1];
            Thread t = (Thread) Class.forName("java.lang.Thread$Builder").getMethod("start", Runnable.class).invoke(builder,
                    (Runnable) () -> seen[0] = VirtualThreads.isVirtual(Thread.currentThread()));
            t.join();
            assertTrue(seen[0], "a virtual thread is recognised on JDK " + Runtime.version());
        }
    }

    /** What a hand-over does to an accepted connection: its handle reads it, then rewrites its addresses. */
    private static void readdress(Object accepted, int fd, Object peer) {
        JdkConnection connection = JdkConnection.of(accepted);
        assertEquals(fd, connection.fd());
        assertEquals(peer, connection.peer());
        connection.addresses(MOVED_LOCAL, MOVED_PEER);
    }

    /**
     * NativeThread.signal makes the JDK retry its accept: the thread keeps waiting and then accepts
     * normally (the caller connects; {@link #finished} fails on any exception).
     */
    private static void signalLeavesTheAcceptWaiting(JdkListener listener, Thread acceptor) throws Exception {
        Descriptors.signal(nativeThread(listener));
        assertTrue(acceptor.isAlive());
    }

    private static void finished(Thread acceptor, Throwable[] failure) throws InterruptedException {
        acceptor.join(TimeUnit.SECONDS.toMillis(10));
        assertTrue(!acceptor.isAlive(), "the accept returned");
        assertNull(failure[0], "the accept after the signal succeeded");
    }

    private static long nativeThread(JdkListener listener) {
        synchronized (listener.stateLock()) {
            return listener.nativeThread();
        }
    }

    private interface Blocking {
        void run() throws Exception;
    }

    private static Thread acceptInBackground(Blocking accept, Throwable[] failure) {
        Thread t = new Thread(() -> {
            try {
                accept.run();
            } catch (Exception e) {
                failure[0] = e;
            }
        }, "test-acceptor");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void until(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(5);
        }
    }
}
