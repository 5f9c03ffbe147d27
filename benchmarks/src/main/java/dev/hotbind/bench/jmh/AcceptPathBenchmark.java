package dev.hotbind.bench.jmh;

import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.registry.Registry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The agent's work per accepted connection, without the socket work around it: what the advice on
 * {@code ServerSocket.implAccept} and {@code Socket.close} calls, through {@link Hooks} as inlined advice
 * does, against a registry holding a real bound listener and a real accepted socket. Each operation
 * enters accept, leaves it with the connection (creating its record in the descriptor table) and
 * closes it (ending the record and reading its addresses for the history).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AcceptPathBenchmark {
    private static final int BACKLOG = 50;

    private Registry registry;
    private ServerSocket server;
    private Socket client;
    private Socket accepted;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        registry = new Registry(256, null, null);
        Hooks.install(registry);
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), BACKLOG);
        Hooks.bound(server, BACKLOG);
        client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
        accepted = server.accept();
        Hooks.acceptExit(Hooks.acceptEnter(server), server, accepted, null);
        if (registry.listeners().size() != 1 || registry.connections().size() != 1) {
            throw new IllegalStateException("the registry did not record the listener and its connection "
                    + "(the forked JVM needs --add-opens java.base/java.net, java.io and sun.nio.ch): "
                    + registry.listeners() + ", " + registry.connections().size() + " connection(s)");
        }
        Hooks.connectionClosing(accepted);
    }

    @Benchmark
    public Object acceptAndClose() {
        Object token = Hooks.acceptEnter(server);
        Hooks.acceptExit(token, server, accepted, null);
        Hooks.connectionClosing(accepted);
        return token;
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        accepted.close();
        client.close();
        server.close();
    }
}
