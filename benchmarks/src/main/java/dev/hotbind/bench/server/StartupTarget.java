package dev.hotbind.bench.server;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JVMs of the start-up benchmark, run with and without the agent: {@code trivial} returns at once;
 * {@code server} binds a ServerSocket and a ServerSocketChannel on loopback, accepts one connection on
 * each and closes everything (so the agent weaves all four JDK classes, as in a real server's start);
 * {@code idle} binds a listener with a thread waiting in accept, prints {@code ready} and waits for
 * stdin to close (an attach target); {@code holding <n>} is that target once its listener holds n accepted
 * connections (it prints its {@code port}, then {@code ready} after the n-th accept); {@code phases} does
 * what {@code server} does, then prints the agent's {@code StartupPhases} (not timed: it loads JMX).
 */
public final class StartupTarget {
    private static final long MBEAN_WAIT_NANOS = 30_000_000_000L;

    private StartupTarget() {
    }

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "trivial" -> { }
            case "server" -> serve();
            case "idle" -> {
                // what an attach usually finds: a listener with a thread waiting in accept
                ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Thread acceptor = new Thread(() -> {
                    try {
                        listener.accept().close();
                    } catch (java.io.IOException e) {
                        // the JVM is on its way out
                    }
                }, "idle-acceptor");
                acceptor.setDaemon(true);
                acceptor.start();
                System.out.println("ready");
                System.out.flush();
                System.in.read();
            }
            case "holding" -> {
                // issue 9's walk at scale: the listener holds this many accepted connections, the driver the client ends
                int connections = Integer.parseInt(args[1]);
                ServerSocket listener = new ServerSocket(0, connections, InetAddress.getLoopbackAddress());
                List<Socket> held = new ArrayList<>();
                Thread acceptor = new Thread(() -> {
                    try {
                        while (true) {
                            held.add(listener.accept());
                            if (held.size() == connections) {
                                System.out.println("ready");
                                System.out.flush();
                            }
                        }
                    } catch (java.io.IOException e) {
                        // the JVM is on its way out
                    }
                }, "holding-acceptor");
                acceptor.setDaemon(true);
                acceptor.start();
                System.out.println("port " + listener.getLocalPort());
                System.out.flush();
                System.in.read();
            }
            case "phases" -> {
                serve();
                printPhases();
            }
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
    }

    private static void serve() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket server = new ServerSocket(0, 50, loopback);
             Socket client = new Socket(loopback, server.getLocalPort());
             Socket accepted = server.accept();
             ServerSocketChannel channel = ServerSocketChannel.open()) {
            channel.bind(new InetSocketAddress(loopback, 0));
            try (SocketChannel channelClient = SocketChannel.open(channel.getLocalAddress());
                 SocketChannel channelAccepted = channel.accept()) {
                channelClient.finishConnect();
                channelAccepted.isOpen();
            }
            client.isConnected();
            accepted.isConnected();
        }
    }

    private static void printPhases() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName("dev.hotbind:type=Agent");
        long deadline = System.nanoTime() + MBEAN_WAIT_NANOS;
        while (!server.isRegistered(agent) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        for (String line : (String[]) server.getAttribute(agent, "StartupPhases")) {
            System.out.println("phase " + line);
        }
    }
}
