package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.bootstrap.SocketEvents;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs in a JVM whose java.base has the woven classes patched in ({@link WovenJdkClassesTest}): exercises
 * every advice through the JDK's own API with a recording {@link SocketEvents} installed, and prints
 * {@code ok <what>} per check; a failed check throws (the JVM exits non-zero).
 */
public final class WovenJdkProbe {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The calls the JDK's code made, each as {@code name arguments}. */
    private static final List<String> CALLS = new ArrayList<>();
    private static Function<SocketAddress, SocketAddress> binding = a -> null;
    private static BindFailure bindFailed = (retry, failure) -> null;

    interface BindFailure {
        Object answer(Object retry, Throwable failure) throws Exception;
    }

    private WovenJdkProbe() {
    }

    public static void main(String[] args) throws Exception {
        Hooks.install(new Recorder());
        bindAcceptClose();
        bindRetries();
        bindFailures();
        acceptFailures();
        childProcess();
        System.out.println("probe done");
    }

    private static void bindAcceptClose() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            // binding() may substitute the address: a port held elsewhere is swapped for an ephemeral one
            ServerSocket held = hold();
            binding = a -> new InetSocketAddress(LOOPBACK, 0);
            server.bind(new InetSocketAddress(LOOPBACK, held.getLocalPort()), 7);
            binding = a -> null;
            check(server.getLocalPort() != held.getLocalPort(), "socket bind to the substituted address");
            release(held);
            expect("binding", "bound backlog 7");
            try (Socket client = new Socket(LOOPBACK, server.getLocalPort()); Socket accepted = server.accept()) {
                expect("acceptEnter", "acceptExit token accepted " + accepted.getLocalPort() + " thrown null");
                check(client.isConnected(), "socket accept");
            }
            expect("connectionClosing", "connectionClosing");
        }
        expect("serverClosing");
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(LOOPBACK, 0), 9);
            expect("binding", "bound backlog 9");
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress()); SocketChannel accepted = server.accept()) {
                expect("acceptEnter", "acceptExit token accepted " + accepted.socket().getLocalPort() + " thrown null");
                check(client.isConnected(), "channel accept");
            }
            expect("connectionClosing", "connectionClosing");
            server.configureBlocking(false);
            check(server.accept() == null, "non-blocking channel accept with nothing pending");
            expect("acceptEnter", "acceptExit token accepted null thrown null");
        }
        expect("serverClosing");
        System.out.println("ok bind, accept, close on both kinds");
    }

    /** A failed bind runs again (the entry call does not) while bindFailed answers a retry state. */
    private static void bindRetries() throws Exception {
        for (boolean channel : new boolean[] {false, true}) {
            ServerSocket held = hold();
            int port = held.getLocalPort();
            bindFailed = (retry, failure) -> {
                if (retry == null) {
                    return "first";
                }
                release(held);
                return "second";
            };
            try (AutoCloseable server = bind(channel, port, 0)) {
                check(localPort(server) == port, (channel ? "channel" : "socket") + " bound after two retries");
            } finally {
                bindFailed = (retry, failure) -> null;
            }
            expect("binding", "bindFailed retry null " + BindException.class.getName(),
                    "bindFailed retry first " + BindException.class.getName(), "retriedBindSucceeded second",
                    "bound backlog 0", "serverClosing");
        }
        System.out.println("ok bind retry on both kinds");
    }

    /** bindFailed may replace the failure; null lets the JDK's own through. */
    private static void bindFailures() throws Exception {
        for (boolean channel : new boolean[] {false, true}) {
            ServerSocket held = hold();
            IOException replacement = new IOException("replaced");
            bindFailed = (retry, failure) -> replacement;
            check(bindThrows(channel, held.getLocalPort()) == replacement, "the replacement is thrown");
            bindFailed = (retry, failure) -> null;
            check(bindThrows(channel, held.getLocalPort()) instanceof BindException, "the JDK's own is thrown");
            release(held);
            expect("binding", "bindFailed retry null " + BindException.class.getName(), "serverClosing",
                    "binding", "bindFailed retry null " + BindException.class.getName(), "serverClosing");
        }
        System.out.println("ok bind failures on both kinds");
    }

    private static void acceptFailures() throws Exception {
        ServerSocket server = new ServerSocket(0, 50, LOOPBACK);
        expect("binding", "bound backlog 50");
        server.setSoTimeout(1);
        try {
            server.accept();
            throw new AssertionError("accept did not time out");
        } catch (SocketTimeoutException expected) {
            expect("acceptEnter", "acceptExit token accepted null thrown " + SocketTimeoutException.class.getName());
        }
        server.close();
        expect("serverClosing");
        try {
            server.accept();
            throw new AssertionError("accept on a closed socket");
        } catch (SocketException expected) {
            expect("acceptOnClosed");
        }
        System.out.println("ok accept failures");
    }

    private static void childProcess() throws Exception {
        Process child = new ProcessBuilder("true").start();
        check(child.waitFor() == 0, "child process ran");
        expect("childStarting");
        System.out.println("ok child process");
    }

    /** A port held by a listener the recorder does not see (its calls are made {@link Hooks#internally}). */
    private static ServerSocket hold() throws Exception {
        return Hooks.internally(() -> new ServerSocket(0, 50, LOOPBACK));
    }

    private static void release(ServerSocket held) throws Exception {
        Hooks.internally(() -> {
            held.close();
            return null;
        });
    }

    private static AutoCloseable bind(boolean channel, int port, int backlog) throws IOException {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        if (channel) {
            return ServerSocketChannel.open().bind(address, backlog);
        }
        ServerSocket server = new ServerSocket();
        server.bind(address, backlog);
        return server;
    }

    private static int localPort(AutoCloseable server) throws IOException {
        return server instanceof ServerSocket s ? s.getLocalPort()
                : ((InetSocketAddress) ((ServerSocketChannel) server).getLocalAddress()).getPort();
    }

    private static Throwable bindThrows(boolean channel, int port) {
        ServerSocket socket = null;
        ServerSocketChannel server = null;
        try {
            if (channel) {
                server = ServerSocketChannel.open();
                server.bind(new InetSocketAddress(LOOPBACK, port));
            } else {
                socket = new ServerSocket();
                socket.bind(new InetSocketAddress(LOOPBACK, port));
            }
            throw new AssertionError("bound a held port");
        } catch (IOException e) {
            return e;
        } finally {
            try {
                if (socket != null) {
                    socket.close();
                }
                if (server != null) {
                    server.close();
                }
            } catch (IOException ignored) {
                // closing an unbound socket
            }
        }
    }

    /** The calls made since the last expect are exactly {@code calls}, in order. */
    private static void expect(String... calls) {
        synchronized (CALLS) {
            check(CALLS.equals(List.of(calls)), "calls " + List.of(calls) + ", got " + CALLS);
            CALLS.clear();
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }

    private static void record(String call) {
        if (Hooks.isInternal()) {
            return;
        }
        synchronized (CALLS) {
            CALLS.add(call);
        }
    }

    private static final class Recorder implements SocketEvents {
        @Override
        public SocketAddress binding(Object server, SocketAddress requested) {
            record("binding");
            return binding.apply(requested);
        }

        @Override
        public Object bindFailed(Object retry, Object server, Object endpoint, Throwable failure) {
            record("bindFailed retry " + retry + " " + failure.getClass().getName());
            try {
                return bindFailed.answer(retry, failure);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void retriedBindSucceeded(Object retry) {
            record("retriedBindSucceeded " + retry);
        }

        @Override
        public void bound(Object server, int backlog) {
            record("bound backlog " + backlog);
        }

        @Override
        public Object acceptEnter(Object server) {
            record("acceptEnter");
            return "token";
        }

        @Override
        public void acceptExit(Object token, Object server, Object accepted, Throwable failure) {
            Object port = accepted instanceof Socket s ? s.getLocalPort()
                    : accepted instanceof SocketChannel c ? c.socket().getLocalPort() : accepted;
            record("acceptExit " + token + " accepted " + port + " thrown "
                    + (failure == null ? null : failure.getClass().getName()));
        }

        @Override
        public void acceptOnClosed(Object server) {
            record("acceptOnClosed");
        }

        @Override
        public void serverClosing(Object server) {
            record("serverClosing");
        }

        @Override
        public void connectionClosing(Object connection) {
            record("connectionClosing");
        }

        @Override
        public void childStarting(ProcessBuilder builder) {
            record("childStarting");
        }
    }
}
