package dev.hotbind.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * Loopback client threads that put load on a bench server until stopped, counting every outcome:
 * {@link Kind#CHURN} opens a connection per request (the server answers and closes), {@link Kind#KEEP_ALIVE}
 * sends request after request on connections opened once. Speaks the bench server's one-byte protocol.
 */
public final class Load {
    private static final int CLOSE = 'c';
    private static final int KEEP = 'k';
    private static final int TIMEOUT_MILLIS = 5_000;
    /** Longer than any loopback exchange takes unless a SYN was dropped and retransmitted (after ~1 s). */
    private static final long DELAYED_NANOS = 900_000_000L;

    /** What each client thread does. */
    public enum Kind {
        CHURN, KEEP_ALIVE
    }

    /**
     * Outcomes so far; {@code dropped}: the server closed before answering; {@code delayed}: requests that
     * succeeded (counted in {@code ok} too) but took over 900 ms.
     */
    public record Counts(long ok, long refused, long reset, long dropped, long timedOut, long other, long delayed,
                         String firstOther) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, 0, 0, 0, null);

        public long failed() {
            return refused + reset + dropped + timedOut + other;
        }
    }

    private final Kind kind;
    private final InetSocketAddress server;
    private final LongAdder ok = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder reset = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder timedOut = new LongAdder();
    private final LongAdder delayed = new LongAdder();
    private final LongAdder other = new LongAdder();
    /** CPU time of the client threads while they ran the load, kernel time included. */
    private final LongAdder clientCpuNanos = new LongAdder();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private volatile String firstOther;
    private volatile boolean running = true;
    private final List<Thread> clients = new ArrayList<>();

    private Load(Kind kind, int port) {
        this.kind = kind;
        this.server = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    }

    /** Starts {@code threads} clients on {@code port}; keep-alive clients have connected when it returns. */
    public static Load start(Kind kind, int port, int threads) throws InterruptedException {
        return spawn(kind, port, threads, new CountDownLatch(0));
    }

    /**
     * Runs a load for {@code duration} or until {@code maxOk} requests succeeded, whichever comes first.
     * {@code between} runs just before the clients start and just after they stop (reading the server's
     * CPU time there keeps connection set-up and tear-down of keep-alive clients out of the window).
     */
    public static Timed timed(Kind kind, int port, int threads, Duration duration, long maxOk, Runnable between)
            throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        Load load = spawn(kind, port, threads, go);
        between.run();
        long start = System.nanoTime();
        go.countDown();
        long deadline = start + duration.toNanos();
        while (System.nanoTime() < deadline && load.ok.sum() < maxOk) {
            Thread.sleep(5);
        }
        Counts counts = load.counts();
        long elapsed = System.nanoTime() - start;
        load.running = false;
        between.run();
        load.join();
        return new Timed(counts, elapsed, load.clientCpuNanos.sum());
    }

    private static Load spawn(Kind kind, int port, int threads, CountDownLatch go) throws InterruptedException {
        Load load = new Load(kind, port);
        CountDownLatch ready = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> load.client(ready, go), "hotbind-bench-client-" + i);
            t.setDaemon(true);
            load.clients.add(t);
            t.start();
        }
        ready.await();
        return load;
    }

    /**
     * A timed run: what happened within {@code elapsedNanos}, and the CPU time the client threads took. On
     * loopback the kernel's packet processing runs in whichever thread's context it falls to, the
     * sender's or the receiver's, so the client's CPU shows what the server's figure did not count.
     */
    public record Timed(Counts counts, long elapsedNanos, long clientCpuNanos) {
        public double perSecond() {
            return counts.ok() * 1e9 / elapsedNanos;
        }
    }

    public Counts counts() {
        return new Counts(ok.sum(), refused.sum(), reset.sum(), dropped.sum(), timedOut.sum(), other.sum(),
                delayed.sum(), firstOther);
    }

    /** Counts afresh from now: what a warm-up did is not measured. */
    public void clearCounts() {
        for (LongAdder a : new LongAdder[] {ok, refused, reset, dropped, timedOut, other, delayed}) {
            a.reset();
        }
        firstOther = null;
    }

    /** Stops the clients, waits for them, and returns the final counts. */
    public Counts stop() throws InterruptedException {
        running = false;
        join();
        return counts();
    }

    private void join() throws InterruptedException {
        for (Thread t : clients) {
            t.join(TIMEOUT_MILLIS * 3L);
        }
    }

    private void client(CountDownLatch ready, CountDownLatch go) {
        Socket kept = null;
        try {
            if (kind == Kind.KEEP_ALIVE) {
                kept = connect();
            }
        } catch (IOException e) {
            count(e);
        }
        ready.countDown();
        long cpuAtGo = -1;
        try {
            go.await();
            cpuAtGo = THREADS.getCurrentThreadCpuTime();
            while (running) {
                if (kind == Kind.CHURN) {
                    churnOnce();
                } else {
                    kept = keepAliveOnce(kept);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (cpuAtGo >= 0) {
                clientCpuNanos.add(THREADS.getCurrentThreadCpuTime() - cpuAtGo);
            }
            closeQuietly(kept);
        }
    }

    private void churnOnce() {
        long start = System.nanoTime();
        try (Socket s = connect()) {
            if (exchange(s, CLOSE) && s.getInputStream().read() < 0) {
                ok.increment();
                if (System.nanoTime() - start > DELAYED_NANOS) {
                    delayed.increment();
                }
            }
        } catch (IOException e) {
            count(e);
        }
    }

    /** One request on the kept connection; a broken one is counted and replaced. */
    private Socket keepAliveOnce(Socket kept) {
        try {
            Socket s = kept != null ? kept : connect();
            if (exchange(s, KEEP)) {
                ok.increment();
                return s;
            }
            closeQuietly(s);
            return null;
        } catch (IOException e) {
            count(e);
            closeQuietly(kept);
            return null;
        }
    }

    /** Sends one request byte and reads the answer; false (counted as dropped) when the server closed instead. */
    private boolean exchange(Socket s, int request) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(request);
        int answer = in.read();
        if (answer != request) {
            dropped.increment();
            return false;
        }
        return true;
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.connect(server, TIMEOUT_MILLIS);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private void count(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (e instanceof ConnectException && message.contains("refused")) {
            refused.increment();
        } else if (e instanceof SocketTimeoutException) {
            timedOut.increment();
        } else if (e instanceof SocketException && message.toLowerCase().contains("reset")) {
            reset.increment();
        } else {
            if (firstOther == null) {
                firstOther = e.toString();
            }
            other.increment();
        }
    }

    private static void closeQuietly(Socket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // nothing left to count
            }
        }
    }
}
