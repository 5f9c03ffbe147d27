package dev.hotbind.rebind;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback listener served the way applications serve one, in each of the three accept models;
 * every connection it accepts gets one byte, and anything its accept loop throws is kept.
 */
final class TestServer implements AutoCloseable {
    /** TIMED_SERVER_SOCKET: SO_TIMEOUT set, so the JDK polls a non-blocking descriptor. */
    enum Model { SERVER_SOCKET, TIMED_SERVER_SOCKET, BLOCKING_CHANNEL, SELECTOR }

    final Object server;
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean closing;
    /** The selector model's, woken at close: closing a registered channel does not wake its selector. */
    private volatile Selector selector;

    private TestServer(Model model) throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (model == Model.SERVER_SOCKET || model == Model.TIMED_SERVER_SOCKET) {
            ServerSocket socket = new ServerSocket();
            socket.bind(any);
            if (model == Model.TIMED_SERVER_SOCKET) {
                socket.setSoTimeout(100);
            }
            server = socket;
        } else {
            ServerSocketChannel channel = ServerSocketChannel.open();
            channel.bind(any);
            server = channel;
        }
        thread = new Thread(() -> serve(model), "test-acceptor-" + model);
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts the server and returns once it has served a client, so that operations meet it accepting
     * (registered with its selector, for that model), as in a running application. Bounded: 10 s.
     */
    static TestServer start(Model model) throws IOException {
        TestServer server = new TestServer(model);
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (!served(server.port())) {
            if (System.nanoTime() > deadline) {
                throw new IOException("the " + model + " test server did not serve within 10 s: " + server.failures);
            }
        }
        return server;
    }

    /** Returns at once, while the application's thread is still setting up (registering its selector). */
    static TestServer starting(Model model) throws IOException {
        return new TestServer(model);
    }

    int port() {
        return server instanceof ServerSocket ? ((ServerSocket) server).getLocalPort()
                : ((ServerSocketChannel) server).socket().getLocalPort();
    }

    boolean acceptThreadAlive() {
        return thread.isAlive();
    }

    /** Connects and reads the byte the application sends: proof it accepted, not just the kernel. */
    static boolean served(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            return in.read() == '!';
        } catch (IOException e) {
            return false;
        }
    }

    private void serve(Model model) {
        try {
            if (model == Model.SERVER_SOCKET || model == Model.TIMED_SERVER_SOCKET) {
                while (!closing) {
                    try (Socket s = ((ServerSocket) server).accept()) {
                        s.getOutputStream().write('!');
                    } catch (java.net.SocketTimeoutException expected) {
                        // the application asked for it; it accepts again
                    }
                }
            } else if (model == Model.BLOCKING_CHANNEL) {
                while (!closing) {
                    try (SocketChannel c = ((ServerSocketChannel) server).accept()) {
                        c.write(ByteBuffer.wrap(new byte[] {'!'}));
                    }
                }
            } else {
                ServerSocketChannel channel = (ServerSocketChannel) server;
                channel.configureBlocking(false);
                try (Selector selector = Selector.open()) {
                    this.selector = selector;
                    channel.register(selector, SelectionKey.OP_ACCEPT);
                    while (!closing) {
                        selector.select();
                        selector.selectedKeys().clear();
                        SocketChannel c;
                        while ((c = channel.accept()) != null) {
                            try (SocketChannel accepted = c) {
                                accepted.write(ByteBuffer.wrap(new byte[] {'!'}));
                            }
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                failures.add(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        closing = true;
        ((AutoCloseable) server).close();
        Selector waiting = selector;
        if (waiting != null) {
            waiting.wakeup();
        }
        thread.join(5000);
    }
}
