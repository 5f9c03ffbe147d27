package dev.hotbind.it.apps;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Two listeners whose accept loops report on stdout when their listener is closed ("<name> accept
 * loop saw the close"): "classic" (a ServerSocket) and "channel" (a blocking ServerSocketChannel).
 * The application closes one itself on a stdin line "close <name>". Connections greet and stay open
 * until the client closes them. "open spare" binds a third listener (a ServerSocket no thread accepts
 * on) and prints "spare port <n>"; "drop spare" forgets it unclosed and runs a full GC.
 */
public final class ClosingApp {
    public static final String READY = "closing-app ready";

    private static final Map<String, Closeable> LISTENERS = new ConcurrentHashMap<>();
    /** The only reference to the spare listener: dropping it leaves the socket to the collector. */
    private static ServerSocket spare;

    private ClosingApp() {
    }

    public static void main(String[] args) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket classic = new ServerSocket();
        classic.bind(new InetSocketAddress(loopback, 0));
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.bind(new InetSocketAddress(loopback, 0));
        LISTENERS.put("classic", classic);
        LISTENERS.put("channel", channel);
        start("classic", () -> classic.accept(), classic::isClosed);
        start("channel", () -> channel.accept().socket(), () -> !channel.isOpen());
        System.out.println("classic port " + classic.getLocalPort());
        System.out.println("channel port " + channel.socket().getLocalPort());
        System.out.println(READY);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = commands.readLine()) != null) {
            if (line.equals("open spare")) {
                spare = new ServerSocket();
                spare.bind(new InetSocketAddress(loopback, 0));
                System.out.println("spare port " + spare.getLocalPort());
            } else if (line.equals("drop spare")) {
                spare = null;
                System.gc();
                System.out.println("spare dropped");
            } else if (line.startsWith("close ")) {
                Closeable listener = LISTENERS.get(line.substring("close ".length()));
                if (listener != null) {
                    listener.close();
                }
            }
        }
        Thread.currentThread().join();
    }

    private interface Acceptor {
        Socket accept() throws IOException;
    }

    private interface Closed {
        boolean now();
    }

    private static void start(String name, Acceptor acceptor, Closed closed) {
        Thread loop = new Thread(() -> {
            while (true) {
                try {
                    Socket socket = acceptor.accept();
                    Thread serve = new Thread(() -> hold(name, socket), name + "-connection");
                    serve.setDaemon(true);
                    serve.start();
                } catch (ClosedChannelException e) {
                    break;
                } catch (IOException e) {
                    if (closed.now()) {
                        break;
                    }
                    System.out.println(name + " accept failed: " + e);
                }
            }
            System.out.println(name + " accept loop saw the close");
        }, name + "-acceptor");
        loop.start();
    }

    private static void hold(String name, Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            out.write(("hello from " + name + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (in.read() >= 0) {
                // hold the connection until the client closes it
            }
        } catch (IOException e) {
            System.out.println(name + " connection ended: " + e);
        }
    }
}
