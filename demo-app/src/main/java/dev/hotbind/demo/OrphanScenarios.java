package dev.hotbind.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The bugs hotbind's orphan audit finds, each on a listener of its own, so a user can watch them
 * appear in JConsole ({@code dev.hotbind:type=Agent}, attributes {@code Orphaned*}). The demo makes
 * its own client connections to trigger them; each thread is named {@code demo-<scenario>}.
 */
public final class OrphanScenarios {
    /** What {@code --orphan} accepts. */
    public enum Kind {
        /** An accept loop that "continue"s on every exception keeps calling accept on its closed listener. */
        SPINNING_ACCEPTOR,
        /** The accepting thread dies; the port stays bound and new clients wait in the accept queue. */
        DEAD_ACCEPTOR,
        /** The listener is closed; the connection it accepted is never closed. */
        LEAKED_CONNECTION,
        /** The peer closes; the application never reads nor closes: CLOSE_WAIT. */
        CLOSE_WAIT;

        public String flag() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Kind parse(String text) {
            for (Kind k : values()) {
                if (k.flag().equals(text)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown orphan scenario '" + text + "'; one of " + flags());
        }

        public static List<String> flags() {
            return List.of(values()).stream().map(Kind::flag).toList();
        }
    }

    private static final List<Object> KEPT = new CopyOnWriteArrayList<>();

    private OrphanScenarios() {
    }

    /** Starts one scenario on an ephemeral port of {@code host}; returns its port. */
    public static int start(Kind kind, InetAddress host) throws IOException {
        ServerSocket server = new ServerSocket();
        server.bind(new InetSocketAddress(host, 0));
        int port = server.getLocalPort();
        String thread = "demo-" + kind.flag();
        switch (kind) {
            case SPINNING_ACCEPTOR -> {
                daemon(thread, () -> {
                    accept(server, 1);
                    close(server); // a component shut its listener down, but not the loop
                    spin(server);
                });
                connect(host, port, false);
            }
            case DEAD_ACCEPTOR -> {
                daemon(thread, () -> accept(server, 1));
                for (int i = 0; i < 4; i++) {
                    connect(host, port, false); // the first is accepted, the rest wait in the queue
                }
            }
            case LEAKED_CONNECTION -> {
                daemon(thread, () -> {
                    accept(server, 1);
                    close(server);
                });
                connect(host, port, false);
            }
            case CLOSE_WAIT -> {
                daemon(thread, () -> accept(server, Integer.MAX_VALUE));
                connect(host, port, true);
            }
        }
        return port;
    }

    /** The bug itself: every failure, "Socket is closed" included, is retried. */
    private static void spin(ServerSocket server) {
        while (true) {
            try {
                KEPT.add(server.accept());
            } catch (IOException e) {
                pause(); // gentler than a real spin, which burns a whole core
            }
        }
    }

    private static void accept(ServerSocket server, int count) {
        try {
            for (int i = 0; i < count; i++) {
                KEPT.add(server.accept());
            }
        } catch (IOException e) {
            // closed: nothing more to accept
        }
    }

    private static void connect(InetAddress host, int port, boolean thenClose) throws IOException {
        Socket client = new Socket(host, port);
        if (thenClose) {
            client.close();
        } else {
            KEPT.add(client);
        }
    }

    private static void close(ServerSocket server) {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
    }

    private static void pause() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
