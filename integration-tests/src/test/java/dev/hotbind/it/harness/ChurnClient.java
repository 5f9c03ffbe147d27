package dev.hotbind.it.harness;

import java.io.IOException;
import java.net.ConnectException;
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
 * Connection churn: a few threads each opening a new loopback connection per request
 * ({@code Connection: close}) until stopped, a request bound or a time bound is reached. The port is
 * asked of a supplier before every connection, so the client follows a listener that moved. Every
 * outcome is counted per port and kind, and the first failures are kept with their message.
 */
public final class ChurnClient implements AutoCloseable {
    /** How a request ended. */
    public enum Outcome {
        OK, REFUSED, RESET, TIMEOUT, OTHER
    }

    private static final int SAMPLES = 10;

    private final IntSupplier port;
    private final String path;
    private final long maxRequests;
    private final long deadlineNanos;
    private final List<Thread> threads = new ArrayList<>();
    private final Map<Integer, AtomicLongArray> tallies = new ConcurrentHashMap<>();
    private final Map<Integer, Long> firstRefusalNanos = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> samples = new ConcurrentLinkedQueue<>();
    private final AtomicLong started = new AtomicLong();
    private final AtomicLong slowestNanos = new AtomicLong();
    private final int timeoutMillis;
    private volatile boolean stopped;

    private ChurnClient(IntSupplier port, String path, int threadCount, long maxRequests, Duration maxTime,
                        int timeoutMillis) {
        this.port = port;
        this.timeoutMillis = timeoutMillis;
        this.path = path;
        this.maxRequests = maxRequests;
        this.deadlineNanos = System.nanoTime() + maxTime.toNanos();
        for (int i = 0; i < threadCount; i++) {
            Thread t = new Thread(this::run, "churn-client-" + i);
            t.setDaemon(true);
            threads.add(t);
        }
    }

    /** Starts {@code threadCount} threads requesting {@code path}; they stop by themselves after two minutes. */
    public static ChurnClient start(IntSupplier port, String path, int threadCount) {
        return start(port, path, threadCount, Http.TIMEOUT_MILLIS);
    }

    /**
     * {@link #start(IntSupplier, String, int)} with each request waiting up to {@code timeoutMillis}: for
     * clients that wait in a queue while no process accepts (a restart behind an inherited socket).
     */
    public static ChurnClient start(IntSupplier port, String path, int threadCount, int timeoutMillis) {
        ChurnClient client = new ChurnClient(port, path, threadCount, 1_000_000, Duration.ofMinutes(2), timeoutMillis);
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
            String body = Http.get(target, path, timeoutMillis);
            if (!Replies.BODY.equals(body)) {
                return failed(Outcome.OTHER, target, new IOException("unexpected body: " + body));
            }
            slowestNanos.accumulateAndGet(System.nanoTime() - begun, Math::max);
            return Outcome.OK;
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
                t.join(timeoutMillis * 3L);
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
