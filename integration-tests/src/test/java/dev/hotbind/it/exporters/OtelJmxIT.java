package dev.hotbind.it.exporters;

import dev.hotbind.it.harness.FreePort;
import dev.hotbind.it.harness.JavaAgents;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real OpenTelemetry Java agent (io.opentelemetry.javaagent:opentelemetry-javaagent) beside hotbind, its
 * JMX Metric Insight given the shipped docs/metrics/otel-jmx.yaml and its metrics served by its Prometheus
 * exporter on loopback: the documented metrics, typed, with host, port and listener_id, as many series at
 * 1,000 open connections as at none.
 */
class OtelJmxIT {
    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void shippedConfigurationGivesTypedLabelledBoundedMetrics(Jdk jdk) throws Exception {
        int metricsPort = FreePort.pick();
        TargetJvm.Builder jvm = TargetJvm.on(jdk).mode(Mode.JAVAAGENT)
                .jvmArg("-Dotel.jmx.config=" + JavaAgents.doc("metrics/otel-jmx.yaml"))
                // look for new MBeans every second, so hotbind's (registered on its own thread) are found at once
                .jvmArg("-Dotel.jmx.discovery.delay=1000")
                .jvmArg("-Dotel.metrics.exporter=prometheus")
                .jvmArg("-Dotel.exporter.prometheus.host=127.0.0.1")
                .jvmArg("-Dotel.exporter.prometheus.port=" + metricsPort)
                .jvmArg("-Dotel.traces.exporter=none")
                .jvmArg("-Dotel.logs.exporter=none")
                .jvmArg("-Dotel.service.name=hotbind-it")
                .javaagent(JavaAgents.openTelemetry(), "")
                // the agent instruments at start-up: a loaded machine takes its time
                .readyWithin(Duration.ofSeconds(90));
        try (ScrapedTarget otel = ScrapedTarget.start(jvm, metricsPort)) {
            Map<String, String> port = Map.of("address", "127.0.0.1:" + otel.port());
            Exposition idle = otel.scrape(e -> e.find("hotbind_listener_state", port) != null
                    && !e.named("hotbind_audits_total").isEmpty());
            // the OpenTelemetry exporter adds its scope's labels (otel_scope_name ...) to every series
            HotbindSeries.assertDocumented(idle, port, HotbindSeries.OTEL_LABELS, false);

            long idleMillis = otel.lastScrapeMillis();

            Exposition loaded = otel.withConnections(HotbindSeries.CONNECTIONS,
                    e -> e.find("hotbind_listener_open_connections", port).value() >= HotbindSeries.CONNECTIONS);
            HotbindSeries.assertBounded(jdk + ", OpenTelemetry agent", idle, idleMillis, loaded,
                    n -> n.startsWith("hotbind_"), otel);
        }
    }
}
