package dev.hotbind.it.exporters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The hotbind series docs/metrics.md promises from the shipped configurations (jmx_exporter and the
 * OpenTelemetry agent give the same names in the Prometheus format), and the checks both tests make.
 */
final class HotbindSeries {
    static final int CONNECTIONS = 1_000;
    /** Every listener's series and their types. */
    static final Map<String, String> LISTENER = Map.of(
            "hotbind_listener_accepted_total", "counter",
            "hotbind_listener_failed_accepts_total", "counter",
            "hotbind_listener_open_connections", "gauge",
            "hotbind_listener_state", "gauge",
            "hotbind_listener_accept_queue_depth", "gauge",
            "hotbind_listener_backlog", "gauge",
            "hotbind_listener_drain_remaining", "gauge");
    /** The process-wide series, one each, and their types. */
    static final Map<String, String> AGENT = Map.of(
            "hotbind_listeners", "gauge",
            "hotbind_open_connections", "gauge",
            "hotbind_orphaned_accept_threads", "gauge",
            "hotbind_orphaned_listeners", "gauge",
            "hotbind_orphaned_connections", "gauge",
            "hotbind_unmanaged_listeners", "gauge",
            "hotbind_audits_total", "counter");
    /** The labels of a listener's series with jmx_exporter; OpenTelemetry's have address (host:port), not port. */
    static final Set<String> JMX_EXPORTER_LABELS = Set.of("host", "port", "listener_id");
    static final Set<String> OTEL_LABELS = Set.of("host", "address", "listener_id");

    private HotbindSeries() {
    }

    /**
     * Every documented series is there with its type; the listener {@code ours} selects has each of its series
     * with {@code labels} ({@code onlyThose}: and no other), host 127.0.0.1, a numeric listener_id, and is BOUND.
     */
    static void assertDocumented(Exposition e, Map<String, String> ours, Set<String> labels, boolean onlyThose) {
        for (Map.Entry<String, String> metric : LISTENER.entrySet()) {
            Exposition.Sample s = e.find(metric.getKey(), ours);
            assertNotNull(s, metric.getKey() + ours + " in\n" + e.samples());
            assertTrue(onlyThose ? s.labels().keySet().equals(labels) : s.labels().keySet().containsAll(labels),
                    s.toString());
            assertEquals("127.0.0.1", s.labels().get("host"), s.toString());
            assertTrue(s.labels().get("listener_id").matches("\\d+"), s.toString());
            assertEquals(metric.getValue(), e.typeOf(metric.getKey()), metric.getKey() + " " + e.types());
        }
        for (Map.Entry<String, String> metric : AGENT.entrySet()) {
            assertEquals(1, e.named(metric.getKey()).size(), metric.getKey() + " in\n" + e.samples());
            assertEquals(metric.getValue(), e.typeOf(metric.getKey()), metric.getKey() + " " + e.types());
        }
        assertEquals(0.0, e.find("hotbind_listener_state", ours).value(), "BOUND");
        // every hotbind series is one the configuration names: nothing else slips through
        assertTrue(e.samples().stream().map(Exposition.Sample::name).filter(n -> n.startsWith("hotbind_"))
                .allMatch(n -> LISTENER.containsKey(n) || AGENT.containsKey(n)), e.samples().toString());
    }

    /**
     * The same hotbind series, by name and labels, at 0 and at {@value #CONNECTIONS} connections; printed
     * with how long the scrapes took ({@code idleMillis} the one at 0) for {@code what} was scraped.
     */
    static void assertBounded(String what, Exposition idle, long idleMillis, Exposition loaded,
                              Predicate<String> hotbind, ScrapedTarget target) {
        Set<String> before = idle.series(hotbind);
        Set<String> after = loaded.series(hotbind);
        System.out.printf("%s: %d hotbind series at 0 connections (scrape %d ms), %d at %d (scrape %d ms)%n",
                what, before.size(), idleMillis, after.size(), CONNECTIONS, target.lastScrapeMillis());
        assertEquals(before.size(), after.size(), "hotbind series at 0 and at " + CONNECTIONS + " connections");
        assertEquals(before, after);
    }
}
