package dev.hotbind.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One loopback listener per accept model, each answering every connection with one byte:
 * {@code socket} (blocking ServerSocket loop), {@code channel} (blocking ServerSocketChannel
 * acceptor), {@code selector} (non-blocking channel on a Selector), and {@code early}: a
 * ServerSocket whose thread {@code early-acceptor} is blocked in accept from start-up, before any
 * attach; on JDK 21+ also {@code virtual}, a ServerSocket served by the virtual thread
 * {@code virtual-acceptor}. The line
 * {@code pause <model>} makes that model's loop stop accepting once it has served its next connection
 * (printing {@code <model> paused}; a pause asked for once a connection was answered applies to the next) until the line {@code resume <model>}, so that clients queue up in
 * the kernel meanwhile.
 * Every exception an accept loop receives is printed as {@code ACCEPT-FAILURE}. The system property
 * {@value #SOCKET_BACKLOG} sets the {@code socket} model's backlog.
 */
public final class AcceptModelsApp {
    /** The system property giving the {@code socket} model's backlog; the JDK's default without it. */
    public static final String SOCKET_BACKLOG = "accept-models.socket-backlog";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Map<String, CountDownLatch> PAUSES = new ConcurrentHashMap<>();

    private AcceptModelsApp() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocket socket = new ServerSocket();
        socket.bind(new InetSocketAddress(LOOPBACK, 0), Integer.getInteger(SOCKET_BACKLOG, 0));
        start("socket-acceptor", () -> serveSocket("socket", socket));

        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        start("channel-acceptor", () -> serveChannel(channel));

        ServerSocketChannel selected = ServerSocketChannel.open();
        selected.bind(new InetSocketAddress(LOOPBACK, 0));
        selected.configureBlocking(false);
        Selector selector = Selector.open();
        selected.register(selector, SelectionKey.OP_ACCEPT);
        start("selector-loop", () -> serveSelector(selected, selector));

        ServerSocket early = new ServerSocket();
        early.bind(new InetSocketAddress(LOOPBACK, 0));
        start("early-acceptor", () -> serveSocket("early", early));

        ServerSocket virtual;
        if (Runtime.version().feature() >= 21) {
            virtual = new ServerSocket();
            // a fixed port when a test asks: a socket activation test passes an inherited one
            virtual.bind(new InetSocketAddress(LOOPBACK, Integer.getInteger("hotbind.it.virtualPort", 0)));
            ServerSocket served = virtual;
            startVirtual("virtual-acceptor", () -> serveSocket("virtual", served));
            System.out.println("virtual port " + virtual.getLocalPort());
        } else {
            virtual = null;
        }

        System.out.println("socket port " + socket.getLocalPort());
        System.out.println("channel port " + channel.socket().getLocalPort());
        System.out.println("selector port " + selected.socket().getLocalPort());
        System.out.println("early port " + early.getLocalPort());
        System.out.println("accept-models ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("pause ")) {
                String[] words = line.split(" ");
                PAUSES.put(words[1], new CountDownLatch(1));
                System.out.println("pause " + words[1] + " noted");
            } else if (line.startsWith("resume ")) {
                CountDownLatch paused = PAUSES.remove(line.substring("resume ".length()));
                if (paused != null) {
                    paused.countDown();
                }
            } else if (line.equals("ports")) {
                System.out.println("ports now: socket " + socket.getLocalPort() + " channel "
                        + channel.socket().getLocalPort() + " selector " + selected.socket().getLocalPort()
                        + (virtual == null ? "" : " virtual " + virtual.getLocalPort()));
            }
        }
        Thread.sleep(Long.MAX_VALUE);
    }

    private interface Loop {
        void run() throws IOException;
    }

    private static void start(String name, Loop loop) {
        Thread t = new Thread(() -> {
            try {
                loop.run();
            } catch (IOException | RuntimeException e) {
                System.out.println("ACCEPT-FAILURE " + Thread.currentThread().getName() + " loop ended: " + e);
            }
        }, name);
        t.start();
    }

    /** A virtual thread (JDK 21+), started by reflection since this class compiles for 17. */
    private static void startVirtual(String name, Loop loop) throws ReflectiveOperationException {
        Class<?> builder = Class.forName("java.lang.Thread$Builder");
        Object named = builder.getMethod("name", String.class)
                .invoke(Thread.class.getMethod("ofVirtual").invoke(null), name);
        Runnable body = () -> {
            try {
                loop.run();
            } catch (IOException | RuntimeException e) {
                System.out.println("ACCEPT-FAILURE " + name + " loop ended: " + e);
            }
        };
        builder.getMethod("start", Runnable.class).invoke(named, body);
    }

    private static void serveSocket(String name, ServerSocket server) {
        while (true) {
            CountDownLatch pause = null;
            try (Socket s = server.accept()) {
                pause = PAUSES.get(name);
                s.getOutputStream().write('!');
                if (name.equals("early")) {
                    System.out.println("early accepted by " + Thread.currentThread().getName());
                }
            } catch (IOException | RuntimeException e) {
                System.out.println("ACCEPT-FAILURE " + Thread.currentThread().getName() + ": " + e);
            }
            pauseIf(name, pause);
        }
    }

    /**
     * Pauses the loop after the connection it just served if a pause was asked for before that
     * connection was answered. Looked up between accept and answer: a client that has read its answer
     * and then asks for a pause (the tests do) must not pause the loop that is still finishing the
     * round that answered it, or the pause would fall one connection early.
     */
    private static void pauseIf(String name, CountDownLatch paused) {
        if (paused != null) {
            System.out.println(name + " paused");
            try {
                // bounded, so that a test that fails before resuming leaves no loop stuck for good
                paused.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void serveChannel(ServerSocketChannel server) {
        while (true) {
            CountDownLatch pause = null;
            try (SocketChannel c = server.accept()) {
                pause = PAUSES.get("channel");
                c.write(ByteBuffer.wrap(new byte[] {'!'}));
            } catch (IOException | RuntimeException e) {
                System.out.println("ACCEPT-FAILURE " + Thread.currentThread().getName() + ": " + e);
            }
            pauseIf("channel", pause);
        }
    }

    private static void serveSelector(ServerSocketChannel server, Selector selector) throws IOException {
        while (true) {
            selector.select();
            selector.selectedKeys().clear();
            CountDownLatch pause = null;
            try {
                SocketChannel c;
                while (pause == null && (c = server.accept()) != null) {
                    try (SocketChannel accepted = c) {
                        pause = PAUSES.get("selector");
                        accepted.write(ByteBuffer.wrap(new byte[] {'!'}));
                    }
                }
            } catch (IOException | RuntimeException e) {
                System.out.println("ACCEPT-FAILURE " + Thread.currentThread().getName() + ": " + e);
            }
            pauseIf("selector", pause);
        }
    }
}
