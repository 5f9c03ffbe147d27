package dev.hotbind.it.harness;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntSupplier;
import dev.hotbind.it.apps.Replies;

/**
 * Connection churn: a few threads each opening a new loopback connection per request until stopped, a
 * request bound or a time bound is reached; a request is an {@link Exchange}, an HTTP GET with
 * {@code Connection: close} or the one byte the accept-model application sends. The port is asked of a
 * supplier before every connection, so the client follows a listener that moved. Every outcome is
 * counted per port and kind, and the first failures are kept with their message.
 */
public final class ChurnClient implements AutoCloseable {
    /**
     * How a request ended. TIMEOUT: connected, then no answer, yet not reset, while the kernel still has
     * the server's end of the connection (someone holds it and does not answer). DROPPED: connected, then
     * no answer, and the kernel has no server end at all: the handshake was dropped as its listener
     * closed, which a client that waits for the server to speak first is never told.
     */
    public enum Outcome {
        OK, REFUSED, RESET, TIMEOUT, DROPPED, OTHER
    }

    /** One request on a new connection to {@code port}; returns when the application answered as it should. */
    @FunctionalInterface
    public interface Exchange {
        void run(int port) throws IOException;
    }

    /** A GET of {@code path} with {@code Connection: close}, answered with {@link Replies#BODY}. */
    public static Exchange http(String path) {
        return http(path, Http.TIMEOUT_MILLIS);
    }

    /**
     * {@link #http(String)} waiting up to {@code timeoutMillis} to connect and for each read: for clients
     * that wait in a queue while no process accepts (a restart behind an inherited socket).
     */
    public static Exchange http(String path, int timeoutMillis) {
        return port -> {
            String body = Http.get(port, path, timeoutMillis);
            if (!Replies.BODY.equals(body)) {
                throw new IOException("unexpected body: " + body);
            }
        };
    }

    /** Connect and read the byte {@code '!'} that {@code AcceptModelsApp} writes on every connection it accepts. */
    public static final Exchange ONE_BYTE = port -> {
        try (Socket socket = Http.connect(port)) {
            int b;
            try {
                b = socket.getInputStream().read();
            } catch (SocketTimeoutException e) {
                // where the connection is stuck, read while it still is: the evidence for the failure
                int local = socket.getLocalPort();
                String ends = e.getMessage() + " on the connection from port " + local + ": "
                        + ListeningSockets.connectionEnds(local, port);
                throw ListeningSockets.serverEndExists(local, port) ? new SocketTimeoutException(ends)
                        : new Dropped(ends);
            }
            if (b != '!') {
                throw new Unanswered(b);
            }
        }
    };

    /** The connection ended without the application's answer: closed by the kernel, never seen by the application. */
    private static final class Unanswered extends IOException {
        Unanswered(int read) {
            super("closed without the application's answer (read " + read + ")");
        }
    }

    /** Connected, yet no server end exists: the handshake was dropped as the listener closed. */
    private static final class Dropped extends IOException {
        Dropped(String evidence) {
            super(evidence);
        }
    }

    private static final int SAMPLES = 10;

    private final IntSupplier port;
    private final Exchange exchange;
    private final long maxRequests;
    private final long deadlineNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Integer, AtomicLongArray> tallies = new ConcurrentHashMap<>();
    private final Map<Integer, Long> firstRefusalNanos = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private volatile boolean stopped;

    private ChurnClient(IntSupplier port, Exchange exchange, int threadCount, long maxRequests, Duration maxTime) {
        this.port = port;
        this.exchange = exchange;
        this.maxRequests = maxRequests;
        this.deadlineNanos = System.nanoTime() + maxTime.toNanos();
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::run, "churn-client-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** Starts {@code threadCount} threads making {@code exchange}s; they stop by themselves after two minutes. */
    public static ChurnClient start(IntSupplier port, Exchange exchange, int threadCount) {
        ChurnClient client = new ChurnClient(port, exchange, threadCount, 1_000_000, Duration.ofMinutes(2));
        client.threads.forEach(Thread::start);
        return client;
    }

    private void run() {
        while (!stopped && System.nanoTime() < deadlineNanos && started.incrementAndGet() <= maxRequests) {
            int target = port.getAsInt();
            Outcome outcome = request(target);
            tallies.computeIfAbsent(target, p -> new AtomicLongArray(Outcome.values().length))
                    .incrementAndGet(outcome.ordinal());
        }
    }

    private Outcome request(int target) {
        try {
            long begun = System.nanoTime();
            exchange.run(target);
            slowestNanos.accumulateAndGet(System.nanoTime() - begun, Math::max);
            return Outcome.OK;
        } catch (Unanswered e) {
            return failed(Outcome.RESET, target, e);
        } catch (Dropped e) {
            return failed(Outcome.DROPPED, target, e);
        } catch (ConnectException e) {
            firstRefusalNanos.putIfAbsent(target, System.nanoTime());
            return failed(Outcome.REFUSED, target, e);
        } catch (SocketTimeoutException e) {
            return failed(Outcome.TIMEOUT, target, e);
        } catch (SocketException e) {
            String message = String.valueOf(e.getMessage());
            boolean reset = message.contains("reset") || message.contains("Broken pipe");
            return failed(reset ? Outcome.RESET : Outcome.OTHER, target, e);
        } catch (IOException | RuntimeException e) {
            return failed(Outcome.OTHER, target, e);
        }
    }

    private Outcome failed(Outcome outcome, int target, Exception e) {
        if (samples.size() < SAMPLES) {
            samples.add(outcome + " on port " + target + ": " + e);
        }
        return outcome;
    }

    /** Stops the threads and waits for their last request to end. */
    public void stop() {
        stopped = true;
        for (Thread t : threads) {
            try {
                t.join(Http.TIMEOUT_MILLIS * 3L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    /** The longest a successful request took, connect to last byte, in milliseconds. */
    public long slowestMillis() {
        return slowestNanos.get() / 1_000_000;
    }

    public long count(Outcome outcome) {
        long sum = 0;
        for (AtomicLongArray tally : tallies.values()) {
            sum += tally.get(outcome.ordinal());
        }
        return sum;
    }

    public long count(int targetPort, Outcome outcome) {
        AtomicLongArray tally = tallies.get(targetPort);
        return tally == null ? 0 : tally.get(outcome.ordinal());
    }

    /** Failures of any kind, on every port. */
    public long failures() {
        long sum = 0;
        for (Outcome o : Outcome.values()) {
            if (o != Outcome.OK) {
                sum += count(o);
            }
        }
        return sum;
    }

    /** Failures other than refusals, on every port. */
    public long failuresOtherThanRefused() {
        return failures() - count(Outcome.REFUSED);
    }

    /** {@link System#nanoTime()} of the first refused connection to {@code targetPort}, or null. */
    public Long firstRefusalNanos(int targetPort) {
        return firstRefusalNanos.get(targetPort);
    }

    /** Waits until {@code more} further requests have succeeded. */
    public void awaitSuccesses(long more) {
        long goal = count(Outcome.OK) + more;
        Poll.until(goal + " successful requests (" + this + ")", () -> count(Outcome.OK) >= goal);
    }

    /** Counts per port and kind, and the first failures seen: the evidence a failed assertion shows. */
    @Override
    public String toString() {
        Map<Integer, Map<Outcome, Long>> byPort = new TreeMap<>();
        tallies.forEach((p, tally) -> {
            Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
            for (Outcome o : Outcome.values()) {
                counts.put(o, tally.get(o.ordinal()));
            }
            byPort.put(p, counts);
        });
        return "churn " + byPort + (samples.isEmpty() ? "" : " first failures " + samples);
    }
}
