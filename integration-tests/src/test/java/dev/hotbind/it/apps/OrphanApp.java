package dev.hotbind.it.apps;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One listener per orphan kind, each with its own named accept thread, plus a healthy echo listener
 * and a natively opened (Netty epoll) one. Commands on stdin make the orphans: "close spin",
 * "close leak", "gc". Prints "<name> port <n>" per listener, then "orphan-app ready".
 */
public final class OrphanApp {
    private static final List<Object> KEPT = new CopyOnWriteArrayList<>();

    private OrphanApp() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket spin = listen(loopback);
        ServerSocket dead = listen(loopback);
        ServerSocket leak = listen(loopback);
        ServerSocketChannel closeWait = ServerSocketChannel.open().bind(new InetSocketAddress(loopback, 0), 50);
        ServerSocket careless = listen(loopback);
        ServerSocket healthy = listen(loopback);

        thread("spinning-acceptor", () -> spinningAcceptLoop(spin));
        thread("doomed-acceptor", () -> acceptThenDie(dead));
        thread("leak-acceptor", () -> acceptAndKeep(leak));
        thread("closewait-acceptor", () -> acceptAndNeverRead(closeWait));
        thread("careless-acceptor", () -> acceptAndDrop(careless));
        thread("healthy-acceptor", () -> echoServer(healthy));

        print("spin", spin.getLocalPort());
        print("dead", dead.getLocalPort());
        print("leak", leak.getLocalPort());
        print("closewait", closeWait.socket().getLocalPort());
        print("careless", careless.getLocalPort());
        print("healthy", healthy.getLocalPort());
        print("native", nativeListener(loopback));
        System.out.println("orphan-app ready");

        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            switch (line.trim()) {
                case "close spin" -> spin.close();
                case "close leak" -> leak.close();
                case "gc" -> System.gc();
                default -> System.out.println("unknown command " + line);
            }
            System.out.println("done: " + line.trim());
        }
    }

    /** Binds with backlog 50, which the kernel then reports as the listener's backlog. */
    private static ServerSocket listen(InetAddress address) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(address, 0), 50);
        return s;
    }

    /** The bug: "continue" on every failure, so a closed listener makes it spin forever. */
    private static void spinningAcceptLoop(ServerSocket server) {
        while (true) {
            try {
                KEPT.add(server.accept());
            } catch (IOException e) {
                pause(2);
            }
        }
    }

    /** Accepts two connections, then its thread ends: the port stays bound and clients queue up. */
    private static void acceptThenDie(ServerSocket server) {
        try {
            KEPT.add(server.accept());
            KEPT.add(server.accept());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void acceptAndKeep(ServerSocket server) {
        try {
            while (true) {
                KEPT.add(server.accept());
            }
        } catch (IOException closed) {
            // the listener was closed; the connections it accepted stay open: the leak
        }
    }

    /** Never reads, so it never sees the peer's FIN and never closes: CLOSE_WAIT piles up. */
    private static void acceptAndNeverRead(ServerSocketChannel server) {
        try {
            while (true) {
                SocketChannel c = server.accept();
                KEPT.add(c);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Drops every connection without closing it: the garbage collector finds them. */
    private static void acceptAndDrop(ServerSocket server) {
        try {
            while (true) {
                server.accept().getPort();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void echoServer(ServerSocket server) {
        try {
            while (true) {
                Socket s = server.accept();
                thread("healthy-echo", () -> echo(s));
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void echo(Socket s) {
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int b;
            while ((b = in.read()) >= 0) {
                out.write(b);
                out.flush();
            }
        } catch (IOException ignored) {
            // peer went away
        }
    }

    /** A listener Netty's epoll transport opens in native code: java.nio never sees it. */
    private static int nativeListener(InetAddress address) throws InterruptedException {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        Channel channel = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .childHandler(new ChannelInboundHandlerAdapter()).bind(new InetSocketAddress(address, 0)).sync()
                .channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    private static void thread(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void print(String name, int port) {
        System.out.println(name + " port " + port);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
