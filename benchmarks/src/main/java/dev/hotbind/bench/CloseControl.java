package dev.hotbind.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The close-control command, no agent anywhere: what the kernel does to clients of a listener that the
 * application itself closes while they connect, which is what every rebindTo and unbind does to the old
 * port. Each round binds a loopback {@code ServerSocket} (to port 0, as most applications do, or to a
 * port it names), serves one byte per connection to two churning client threads and closes it after 5
 * to 11 ms. A client caught in its handshake as the listener closes is reset if it sends first; a
 * client that waits for the server to speak first may never be told: its end is established, the
 * server's end is gone from the TCP table.
 */
final class CloseControl {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final int CLIENTS = 2;
    private static final int READ_TIMEOUT_MILLIS = 1000;
    /** Outcomes, indexes into the tallies. */
    private static final int ANSWERED = 0;
    private static final int REFUSED = 1;
    private static final int RESET = 2;
    private static final int NO_SERVER_END = 3;
    private static final int TIMED_OUT_OTHERWISE = 4;

    /** How the listener is bound and how its clients speak. */
    private record Variant(boolean namedPort, boolean sendFirst) {
    }

    private static final List<Variant> VARIANTS = List.of(new Variant(false, false), new Variant(false, true),
            new Variant(true, false));

    private CloseControl() {
    }

    static void run(int rounds) throws Exception {
        Report.out(Report.f("hotbind close-control: %,d closes of a listener under %d-thread churn, no agent (%s)",
                rounds, CLIENTS, Runtime.version()));
        for (Variant variant : VARIANTS) {
            boolean namedPort = variant.namedPort();
            boolean sendFirst = variant.sendFirst();
            AtomicLongArray tally = new AtomicLongArray(5);
            long start = System.nanoTime();
            for (int r = 0; r < rounds; r++) {
                round(namedPort, sendFirst, 5 + r % 7, tally);
            }
            Report.out(Report.f("  listener bound to %s, clients that %s: %,d answered, %,d refused, %,d reset, %,d "
                            + "connected to no one (their end established, no server end in /proc/net/tcp*), %,d timed "
                            + "out otherwise (%.0f s)", namedPort ? "a port it names" : "port 0",
                    sendFirst ? "send a byte first" : "wait for the server's byte", tally.get(ANSWERED),
                    tally.get(REFUSED), tally.get(RESET), tally.get(NO_SERVER_END), tally.get(TIMED_OUT_OTHERWISE),
                    (System.nanoTime() - start) / 1e9));
        }
    }

    private static void round(boolean namedPort, boolean sendFirst, int closeAfterMillis, AtomicLongArray tally)
            throws Exception {
        ServerSocket listener = new ServerSocket();
        if (namedPort) {
            // a free port, then bound by number: the kernel then holds the port until the socket is destroyed
            int free;
            try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
                free = probe.getLocalPort();
            }
            listener.bind(new InetSocketAddress(LOOPBACK, free));
        } else {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
        }
        int port = listener.getLocalPort();
        Thread acceptor = new Thread(() -> {
            while (true) {
                try (Socket s = listener.accept()) {
                    // the client's byte read first: closing with it unread would reset the connection
                    if (sendFirst) {
                        s.getInputStream().read();
                    }
                    s.getOutputStream().write('!');
                } catch (IOException closed) {
                    return;
                }
            }
        }, "close-control-acceptor");
        acceptor.start();
        AtomicBoolean closed = new AtomicBoolean();
        List<Thread> clients = new ArrayList<>();
        // a client that dies would silently take its outcome with it: the run fails instead
        AtomicReference<Throwable> failed = new AtomicReference<>();
        for (int i = 0; i < CLIENTS; i++) {
            Thread client = new Thread(() -> churn(port, sendFirst, closed, tally), "close-control-client-" + i);
            client.setUncaughtExceptionHandler((t, e) -> failed.compareAndSet(null, e));
            client.start();
            clients.add(client);
        }
        Thread.sleep(closeAfterMillis);
        listener.close();
        closed.set(true);
        acceptor.join();
        for (Thread client : clients) {
            client.join();
        }
        if (failed.get() != null) {
            throw new IllegalStateException("a client thread failed", failed.get());
        }
    }

    /** Connects until the port refuses (or the listener has closed), tallying how each connection ended. */
    private static void churn(int port, boolean sendFirst, AtomicBoolean closed, AtomicLongArray tally) {
        while (true) {
            try (Socket s = new Socket()) {
                s.setSoTimeout(READ_TIMEOUT_MILLIS);
                s.connect(new InetSocketAddress(LOOPBACK, port), READ_TIMEOUT_MILLIS);
                if (sendFirst) {
                    s.getOutputStream().write('?');
                }
                InputStream in = s.getInputStream();
                try {
                    tally.incrementAndGet(in.read() == '!' ? ANSWERED : RESET);
                } catch (SocketTimeoutException e) {
                    // read while the connection is still open: is there a server end at all?
                    boolean held = serverEndExists(s.getLocalPort(), port);
                    tally.incrementAndGet(held ? TIMED_OUT_OTHERWISE : NO_SERVER_END);
                    return;
                }
            } catch (ConnectException e) {
                tally.incrementAndGet(REFUSED);
                return;
            } catch (IOException e) {
                tally.incrementAndGet(RESET);
            }
            if (closed.get()) {
                return;
            }
        }
    }

    /**
     * Whether the TCP table has a socket whose local port is {@code serverPort} and peer port {@code clientPort}.
     * Parsed here: the agent's parser lives in the agent jar's own loader, not on this jar's class path.
     */
    private static boolean serverEndExists(int clientPort, int serverPort) {
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of(table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 3 && !f[0].equals("sl") && port(f[1]) == serverPort && port(f[2]) == clientPort) {
                        return true;
                    }
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot read " + table + ": " + e);
            }
        }
        return false;
    }

    private static int port(String hexAddress) {
        return Integer.parseInt(hexAddress.substring(hexAddress.lastIndexOf(':') + 1), 16);
    }
}
