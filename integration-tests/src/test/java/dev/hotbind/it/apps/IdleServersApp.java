package dev.hotbind.it.apps;

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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loopback listeners of every accept model that hold each connection they accept open, reading it
 * until the peer closes (then closing it): {@code socket} (blocking ServerSocket, thread
 * {@code socket-acceptor}, one {@code socket-reader-<n>} thread per connection), {@code channel}
 * (blocking ServerSocketChannel, {@code channel-acceptor}, {@code channel-reader-<n>}), {@code selector}
 * (non-blocking, listener and connections on one Selector, {@code selector-loop}), on JDK 21+
 * {@code virtual} (ServerSocket accepted on by the virtual thread {@code virtual-acceptor}), {@code twin}
 * (a ServerSocket whose acceptor is also named {@code socket-acceptor}), {@code main} (a ServerSocket the
 * main thread accepts on), and
 * two loops spinning on listeners closed at start ({@code spinning-acceptor} on a ServerSocket,
 * {@code spinning-channel-acceptor} on a channel), each holding the one connection it accepted before, and
 * {@code dead}: a ServerSocket whose acceptor {@code doomed-acceptor} accepts one connection and
 * dies, so later connections stay in the kernel's queue. Prints {@code "<model> port <n>"} per
 * listener, then the ready line, and {@code "<model> holds <n>"} each time a count changes.
 */
public final class IdleServersApp {
    public static final String READY = "idle-servers ready";
    private static final List<Object> HELD = new CopyOnWriteArrayList<>();

    private IdleServersApp() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket socket = new ServerSocket(0, 50, loopback);
        thread("socket-acceptor", () -> serveSockets("socket", socket));

        ServerSocketChannel channel = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
        thread("channel-acceptor", () -> serveChannels(channel));

        ServerSocketChannel selected = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
        selected.configureBlocking(false);
        Selector selector = Selector.open();
        selected.register(selector, SelectionKey.OP_ACCEPT);
        thread("selector-loop", () -> serveSelector(selected, selector));

        // a second acceptor with the same name: which listener each waits on is not a matter of names
        ServerSocket twin = new ServerSocket(0, 50, loopback);
        thread("socket-acceptor", () -> serveSockets("twin", twin));
        // as in many small servers, the main thread itself accepts (below, once everything is printed)
        ServerSocket main = new ServerSocket(0, 50, loopback);

        // loops that go on calling accept on listeners they closed themselves, before any attach
        // (each accepted a connection first, still open: its client end is this JVM's own outbound connection)
        ServerSocket spin = new ServerSocket(0, 50, loopback);
        HELD.add(new Socket(loopback, spin.getLocalPort()));
        HELD.add(spin.accept());
        spin.close();
        thread("spinning-acceptor", () -> spin(spin::accept));
        ServerSocketChannel spinChannel = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0));
        HELD.add(SocketChannel.open(spinChannel.getLocalAddress()));
        SocketChannel spunChannel = spinChannel.accept();
        HELD.add(spunChannel);
        // read by a thread of its own, as a server reads a connection (how the attach finds a channel's)
        thread("spun-channel-reader", () -> spunChannel.read(ByteBuffer.allocate(1)));
        spinChannel.close();
        thread("spinning-channel-acceptor", () -> spin(spinChannel::accept));

        ServerSocket dead = new ServerSocket(0, 50, loopback);
        thread("doomed-acceptor", () -> {
            HELD.add(dead.accept());
            System.out.println("doomed-acceptor died");
        });

        if (Runtime.version().feature() >= 21) {
            ServerSocket virtual = new ServerSocket(0, 50, loopback);
            Class<?> builder = Class.forName("java.lang.Thread$Builder");
            Object named = builder.getMethod("name", String.class)
                    .invoke(Thread.class.getMethod("ofVirtual").invoke(null), "virtual-acceptor");
            builder.getMethod("start", Runnable.class).invoke(named, (Runnable) () -> serveQuietly("virtual", virtual));
            System.out.println("virtual port " + virtual.getLocalPort());
        }
        System.out.println("socket port " + socket.getLocalPort());
        System.out.println("channel port " + channel.socket().getLocalPort());
        System.out.println("selector port " + selected.socket().getLocalPort());
        System.out.println("dead port " + dead.getLocalPort());
        System.out.println("twin port " + twin.getLocalPort());
        System.out.println("main port " + main.getLocalPort());
        System.out.println(READY);
        serveSockets("main", main);
    }

    private interface Body {
        void run() throws IOException;
    }

    private static void thread(String name, Body body) {
        new Thread(() -> {
            try {
                body.run();
            } catch (IOException e) {
                System.out.println(name + " ended: " + e);
            }
        }, name).start();
    }

    /** The classic bug: an accept loop that treats every failure as one to retry. Paced, to spare the CPU. */
    private static void spin(Body accept) {
        while (true) {
            try {
                accept.run();
            } catch (IOException e) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    private static void serveQuietly(String model, ServerSocket server) {
        try {
            serveSockets(model, server);
        } catch (IOException e) {
            System.out.println(model + " ended: " + e);
        }
    }

    private static void serveSockets(String model, ServerSocket server) throws IOException {
        AtomicInteger held = new AtomicInteger();
        int n = 0;
        while (true) {
            Socket s = server.accept();
            HELD.add(s);
            System.out.println(model + " holds " + held.incrementAndGet());
            Runnable reader = () -> {
                try (Socket c = s; InputStream in = c.getInputStream()) {
                    while (in.read() >= 0) {
                        // held until the peer closes
                    }
                } catch (IOException e) {
                    // closed under it: the same as the peer leaving
                }
                System.out.println(model + " holds " + held.decrementAndGet());
            };
            if (Thread.currentThread().getName().equals("virtual-acceptor")) {
                startVirtual(reader);
            } else {
                new Thread(reader, model + "-reader-" + (++n)).start();
            }
        }
    }

    /** {@code Thread.startVirtualThread}, by reflection since this class compiles for 17. */
    private static void startVirtual(Runnable body) throws IOException {
        try {
            Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, body);
        } catch (ReflectiveOperationException e) {
            throw new IOException(e);
        }
    }

    private static void serveChannels(ServerSocketChannel server) throws IOException {
        AtomicInteger held = new AtomicInteger();
        int n = 0;
        while (true) {
            SocketChannel c = server.accept();
            HELD.add(c);
            System.out.println("channel holds " + held.incrementAndGet());
            new Thread(() -> {
                try (SocketChannel open = c) {
                    ByteBuffer buffer = ByteBuffer.allocate(64);
                    while (open.read(buffer.clear()) >= 0) {
                        // held until the peer closes
                    }
                } catch (IOException e) {
                    // closed under it
                }
                System.out.println("channel holds " + held.decrementAndGet());
            }, "channel-reader-" + (++n)).start();
        }
    }

    private static void serveSelector(ServerSocketChannel server, Selector selector) throws IOException {
        int held = 0;
        ByteBuffer buffer = ByteBuffer.allocate(64);
        while (true) {
            selector.select();
            for (SelectionKey key : selector.selectedKeys()) {
                if (key.isAcceptable()) {
                    SocketChannel c;
                    while ((c = server.accept()) != null) {
                        c.configureBlocking(false);
                        c.register(selector, SelectionKey.OP_READ);
                        System.out.println("selector holds " + ++held);
                    }
                } else if (key.isReadable()) {
                    SocketChannel c = (SocketChannel) key.channel();
                    int read;
                    try {
                        read = c.read(buffer.clear());
                    } catch (IOException e) {
                        read = -1;
                    }
                    if (read < 0) {
                        c.close();
                        System.out.println("selector holds " + --held);
                    }
                }
            }
            selector.selectedKeys().clear();
        }
    }
}
