package dev.hotbind.it.exporters;

import dev.hotbind.it.apps.HoldingServerApp;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A target JVM with hotbind and a metrics agent serving the Prometheus text format on loopback, and one
 * listener ({@link HoldingServerApp}) that holds every connection it accepts.
 */
final class ScrapedTarget implements AutoCloseable {
    private static final Duration SCRAPE_WAIT = Duration.ofSeconds(60);
    /** Connections opened before waiting for the target to accept them: half its backlog. */
    private static final int BATCH = 25;
    private final TargetJvm target;
    private final int port;
    private final String url;
    private final List<Socket> clients = new ArrayList<>();
    private long lastScrapeMillis;

    private ScrapedTarget(TargetJvm target, int port, String url) {
        this.target = target;
        this.port = port;
        this.url = url;
    }

    /** Starts {@code jvm}, whose metrics agent serves {@code /metrics} on 127.0.0.1:{@code metricsPort}. */
    static ScrapedTarget start(TargetJvm.Builder jvm, int metricsPort) throws Exception {
        TargetJvm target = jvm.start(HoldingServerApp.READY, HoldingServerApp.class.getName(), "held");
        return new ScrapedTarget(target, target.awaitPort("held"), "http://127.0.0.1:" + metricsPort + "/metrics");
    }

    TargetJvm target() {
        return target;
    }

    /** The port of the listener that holds the connections. */
    int port() {
        return port;
    }

    long lastScrapeMillis() {
        return lastScrapeMillis;
    }

    /**
     * Scrapes until {@code ready} holds for the exposition, which it returns; within a minute, as an agent's
     * first look for MBeans can take that long on a loaded machine.
     */
    Exposition scrape(Predicate<Exposition> ready) {
        return Poll.value("a scrape of " + url + " that shows what is awaited", SCRAPE_WAIT, () -> {
            try {
                long start = System.nanoTime();
                Exposition e = Exposition.parse(Loopback.get(url));
                lastScrapeMillis = (System.nanoTime() - start) / 1_000_000;
                return ready.test(e) ? e : null;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
    }

    /** Opens {@code count} connections the target holds, then scrapes until {@code ready}. */
    Exposition withConnections(int count, Predicate<Exposition> ready) throws IOException {
        for (int i = 0; i < count; i++) {
            clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
            if (i % BATCH == BATCH - 1) {
                acceptedAll();
            }
        }
        return scrape(ready);
    }

    /**
     * Waits until the target has taken every connection from its accept queue. Opened all at once, a
     * thousand connections outran a loaded target's accept thread, the queue (backlog 50) filled, and
     * the audit reported the listener saturated: a finding whose series the bounded-series tests then
     * counted as growth with the connections.
     */
    private void acceptedAll() {
        Poll.until("the target accepted the connections opened so far", () -> {
            try {
                return ListeningSockets.acceptQueueOf(port) == 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Override
    public void close() {
        for (Socket client : clients) {
            try {
                client.close();
            } catch (IOException ignored) {
                // the target goes anyway
            }
        }
        target.close();
    }
}
