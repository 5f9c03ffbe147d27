package dev.hotbind.bench.server;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * The server the benchmark measures, run in its own JVM with and without the agent. Arguments:
 * {@code [port [accept model [reuseport]]]}. The accept model is {@code socket} (the default: a blocking
 * {@link ServerSocket} accept loop on a platform thread handing each connection to a thread pool, the
 * commonest shape of a Java server), {@code channel} (the same over a blocking
 * {@link ServerSocketChannel}), {@code selector} (a non-blocking channel on a {@link Selector}, one
 * loop thread handing connections to the pool) or {@code virtual} (JDK 21+: a {@link ServerSocket}
 * accept loop on a virtual thread, each connection served on a virtual thread of its own, as
 * thread-per-request servers on 21+ do). Protocol: each request is one byte, answered by the same byte; after answering
 * {@link #CLOSE} the server closes the connection (so TIME_WAIT stays on the server side and the
 * client never runs out of ephemeral ports). Reads commands on stdin: {@code stats} prints
 * {@code stats <cpu nanos> <accept failures> <audits>}, the process CPU time, how often accept threw
 * and how many orphan audits the agent ran (-1 without it, or before its MBean is there), measured
 * in this JVM so that no JMX connection adds work to the JVM being measured; {@code gc} prints
 * {@code gc <young collections> <bytes allocated by the live threads>}; {@code accepted} prints
 * {@code accepted <connections accepted so far>}. With {@code reuseport} the server sets SO_REUSEPORT on
 * its listener itself and {@code close-listener} does what an application does in its own graceful
 * handover without hotbind (a new instance already bound to the port with SO_REUSEPORT): it closes its
 * listener, waits until its accept loop has left and every connection it accepted is done, then prints
 * {@code listener closed}; the replacement benchmark's no-agent control.
 */
public final class BenchServer {
    public static final int CLOSE = 'c';
    public static final int KEEP = 'k';
    private static final int BACKLOG = 1024;
    private static final int WORKERS = 8;
    private static final AtomicInteger ACCEPT_FAILURES = new AtomicInteger();
    private static final AtomicLong ACCEPTED = new AtomicLong();
    /** Connections accepted and not yet served to the end. */
    private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
    /** Counted down when the accept (or select) loop has left, its listener closed. */
    private static final CountDownLatch LOOP_ENDED = new CountDownLatch(1);
    private static final long CLOSE_WAIT_MILLIS = 10_000;
    /** The listener, for close-listener. */
    private static volatile Closeable listener;

    private BenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        String model = args.length > 1 ? args[1] : "socket";
        boolean reusePort = args.length > 2 && args[2].equals("reuseport");
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        int bound;
        switch (model) {
            case "socket", "virtual" -> {
                ServerSocket server = new ServerSocket();
                if (reusePort) {
                    server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                server.bind(address, BACKLOG);
                listener = server;
                bound = server.getLocalPort();
                if (model.equals("socket")) {
                    ExecutorService workers = workers();
                    start("bench-acceptor", () -> acceptLoop(server::accept, server::isClosed, workers));
                } else {
                    ExecutorService perConnection = virtualThreadPerTask();
                    perConnection.execute(() -> acceptLoop(server::accept, server::isClosed, perConnection));
                }
            }
            case "channel" -> {
                ServerSocketChannel server = reusePort(ServerSocketChannel.open(), reusePort).bind(address, BACKLOG);
                listener = server;
                bound = server.socket().getLocalPort();
                ExecutorService workers = workers();
                start("bench-acceptor", () -> acceptLoop(() -> server.accept().socket(), () -> !server.isOpen(), workers));
            }
            case "selector" -> {
                ServerSocketChannel server = reusePort(ServerSocketChannel.open(), reusePort).bind(address, BACKLOG);
                listener = server;
                server.configureBlocking(false);
                Selector selector = Selector.open();
                server.register(selector, SelectionKey.OP_ACCEPT);
                bound = server.socket().getLocalPort();
                ExecutorService workers = workers();
                start("bench-selector", () -> selectLoop(server, selector, workers));
            }
            default -> throw new IllegalArgumentException("unknown accept model '" + model
                    + "': socket, channel, selector or virtual");
        }
        System.out.println("bench port " + bound);
        System.out.println("bench ready");
        System.out.flush();
        commands();
    }

    private static ServerSocketChannel reusePort(ServerSocketChannel channel, boolean reusePort) throws IOException {
        return reusePort ? channel.setOption(StandardSocketOptions.SO_REUSEPORT, true) : channel;
    }

    /** One blocking accept, of a ServerSocket or a ServerSocketChannel's socket. */
    private interface Acceptor {
        Socket accept() throws IOException;
    }

    private static void acceptLoop(Acceptor server, BooleanSupplier closed, ExecutorService workers) {
        while (!closed.getAsBoolean()) {
            try {
                Socket connection = server.accept();
                accepted();
                workers.execute(() -> serve(connection));
            } catch (IOException e) {
                if (!closed.getAsBoolean()) {
                    acceptFailed(e);
                }
            }
        }
        LOOP_ENDED.countDown();
    }

    /** Accepts whatever the selector reports ready; accepted channels are blocking, served by the pool. */
    private static void selectLoop(ServerSocketChannel server, Selector selector, ExecutorService workers) {
        while (server.isOpen()) {
            try {
                selector.select();
                selector.selectedKeys().clear();
                SocketChannel connection;
                while ((connection = server.accept()) != null) {
                    Socket socket = connection.socket();
                    accepted();
                    workers.execute(() -> serve(socket));
                }
            } catch (IOException e) {
                if (server.isOpen()) {
                    acceptFailed(e);
                }
            }
        }
        LOOP_ENDED.countDown();
    }

    /** Counted before the connection is handed on, so close-listener waits for it. */
    private static void accepted() {
        ACCEPTED.incrementAndGet();
        IN_FLIGHT.incrementAndGet();
    }

    /** What a rebind must never cause: counted for the driver, the first one shown. */
    private static void acceptFailed(IOException e) {
        if (ACCEPT_FAILURES.getAndIncrement() == 0) {
            System.err.println("bench: accept failed: " + e);
        }
    }

    private static ExecutorService workers() {
        return Executors.newFixedThreadPool(WORKERS, daemonThreads("bench-worker-"));
    }

    /** Executors.newVirtualThreadPerTaskExecutor(), looked up since this class compiles for JDK 17. */
    private static ExecutorService virtualThreadPerTask() throws ReflectiveOperationException {
        if (Runtime.version().feature() < 21) {
            throw new IllegalArgumentException("accept model 'virtual' needs JDK 21 or later, this is "
                    + Runtime.version());
        }
        return (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    }

    private static void start(String name, Runnable loop) {
        Thread acceptor = new Thread(loop, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private static void serve(Socket connection) {
        try (Socket s = connection) {
            s.setTcpNoDelay(true);
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            int request;
            while ((request = in.read()) >= 0) {
                out.write(request);
                if (request == CLOSE) {
                    return;
                }
            }
        } catch (IOException clientWentAway) {
            // the client's business: counted on its side
        } finally {
            IN_FLIGHT.decrementAndGet();
        }
    }

    /** Answers the driver until stdin closes, then exits: the server never outlives its driver. */
    private static void commands() throws IOException {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("stats")) {
                System.out.println("stats " + os.getProcessCpuTime() + " " + ACCEPT_FAILURES.get() + " " + audits());
                System.out.flush();
            } else if (line.equals("gc")) {
                System.out.println("gc " + youngCollections() + " " + allocatedBytes(threads));
                System.out.flush();
            } else if (line.equals("accepted")) {
                System.out.println("accepted " + ACCEPTED.get());
                System.out.flush();
            } else if (line.equals("close-listener")) {
                closeListener();
            }
        }
        System.exit(0);
    }

    /**
     * The application's own end of a handover: stop accepting, finish what was accepted. Bounded waits;
     * what is still running after them is said in the answer.
     */
    private static void closeListener() throws IOException {
        listener.close();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MILLIS);
        try {
            boolean loopEnded = LOOP_ENDED.await(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            while (IN_FLIGHT.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            System.out.println("listener closed" + (loopEnded ? "" : ", accept loop still running")
                    + (IN_FLIGHT.get() == 0 ? "" : ", " + IN_FLIGHT.get() + " connections still open"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.out.println("listener closed, interrupted while waiting");
        }
        System.out.flush();
    }

    /** Young collections so far (Serial's Copy, Parallel's PS Scavenge, G1's young ones). */
    private static long youngCollections() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc.getName().equals("Copy") || gc.getName().equals("PS Scavenge") || gc.getName().startsWith("G1 Young")) {
                sum += gc.getCollectionCount();
            }
        }
        return sum;
    }

    /** Bytes the live threads allocated so far (the pool's workers and the acceptor live as long as the server). */
    private static long allocatedBytes(ThreadMXBean threads) {
        long sum = 0;
        for (long bytes : ((com.sun.management.ThreadMXBean) threads).getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }

    /** The agent's AuditCount, read in-process from the platform MBean server the agent registered it in. */
    private static long audits() {
        if (System.getProperty("hotbind.version") == null) {
            return -1;
        }
        try {
            return (Long) ManagementFactory.getPlatformMBeanServer()
                    .getAttribute(new ObjectName("dev.hotbind:type=Agent"), "AuditCount");
        } catch (JMException notYetRegistered) {
            return -1;
        }
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
