package dev.hotbind.it.apps;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Well-behaved servers of each listener style: a JDK HttpServer, a blocking ServerSocket loop with a
 * pool, a blocking ServerSocketChannel acceptor and a non-blocking channel on a Selector. Each echoes
 * and closes properly. Prints "<name> port <n>" and "healthy-app ready".
 */
public final class HealthyApp {
    private HealthyApp() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ExecutorService pool = Executors.newFixedThreadPool(4);

        HttpServer http = HttpServer.create(new InetSocketAddress(loopback, 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        http.setExecutor(pool);
        http.start();

        ServerSocket socket = new ServerSocket(0, 0, loopback);
        daemon("socket-acceptor", () -> {
            while (true) {
                try {
                    Socket s = socket.accept();
                    pool.execute(() -> echo(s));
                } catch (IOException e) {
                    return;
                }
            }
        });

        ServerSocketChannel blocking = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
        daemon("channel-acceptor", () -> {
            while (true) {
                try {
                    Socket s = blocking.accept().socket();
                    pool.execute(() -> echo(s));
                } catch (IOException e) {
                    return;
                }
            }
        });

        ServerSocketChannel selected = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
        selected.configureBlocking(false);
        Selector selector = Selector.open();
        selected.register(selector, SelectionKey.OP_ACCEPT);
        daemon("selector-loop", () -> selectLoop(selector, selected));

        System.out.println("http port " + http.getAddress().getPort());
        System.out.println("socket port " + socket.getLocalPort());
        System.out.println("channel port " + blocking.socket().getLocalPort());
        System.out.println("selector port " + selected.socket().getLocalPort());
        System.out.println("healthy-app ready");
        Thread.currentThread().join();
    }

    private static void selectLoop(Selector selector, ServerSocketChannel server) {
        ByteBuffer buffer = ByteBuffer.allocate(1024);
        try {
            while (true) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (key.isAcceptable()) {
                        SocketChannel c = server.accept();
                        if (c != null) {
                            c.configureBlocking(false);
                            c.register(selector, SelectionKey.OP_READ);
                        }
                    } else if (key.isReadable()) {
                        SocketChannel c = (SocketChannel) key.channel();
                        buffer.clear();
                        if (c.read(buffer) < 0) {
                            key.cancel();
                            c.close();
                        } else {
                            buffer.flip();
                            c.write(buffer);
                        }
                    }
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            byte[] buffer = new byte[1024];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException ignored) {
            // the peer went away
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }
}
