package dev.hotbind.it.exporters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.harness.FreePort;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.JavaAgents;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real Prometheus JMX exporter (jmx_prometheus_javaagent from Maven Central) beside hotbind in a target
 * JVM, scraped over HTTP on loopback as Prometheus scrapes it. With its default rules (no configuration) the
 * hotbind series are the same at 0 and at 1,000 open connections: nothing grows with the connections. With
 * the shipped docs/metrics/jmx_exporter.yaml they are the documented names, types and labels (host, port,
 * listener_id), equally bounded; the state code follows an unbind and a rebind, and listener_id stays when
 * a rebindTo moves the listener.
 */
class JmxExporterIT {
    private static final String CONFIG = "metrics/jmx_exporter.yaml";

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}, default rules")
    @MethodSource("jdks")
    void defaultRulesGiveAsManyHotbindSeriesAtAThousandConnectionsAsAtNone(Jdk jdk, @TempDir Path dir)
            throws Exception {
        // the exporter's own defaults: a configuration that sets nothing (an empty file it refuses)
        Path empty = Files.writeString(dir.resolve("defaults.yaml"), "{}\n");
        try (ScrapedTarget exporter = start(jdk, Mode.JAVAAGENT, empty)) {
            String name = "127.0.0.1 port " + exporter.port();
            Exposition idle = exporter.scrape(e -> e.find("dev_hotbind_Listener_OpenConnections",
                    Map.of("name", name)) != null);
            Exposition.Sample state = idle.find("dev_hotbind_Listener_StateCode", Map.of("name", name));
            assertNotNull(state, "StateCode of " + name + " with default rules");
            assertEquals(0.0, state.value(), "BOUND");
            assertEquals(Set.of("name", "id"), state.labels().keySet(), state.toString());

            long idleMillis = exporter.lastScrapeMillis();

            Exposition loaded = exporter.withConnections(HotbindSeries.CONNECTIONS, e -> e.find(
                    "dev_hotbind_Listener_OpenConnections", Map.of("name", name)).value() >= HotbindSeries.CONNECTIONS);
            HotbindSeries.assertBounded(jdk + ", jmx_exporter default rules", idle, idleMillis, loaded,
                    n -> n.startsWith("dev_hotbind_"), exporter);
        }
    }

    @ParameterizedTest(name = "{0}, hotbind by {1}, shipped configuration")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void shippedConfigurationGivesTypedLabelledBoundedSeries(Jdk jdk, Mode mode) throws Exception {
        try (ScrapedTarget exporter = start(jdk, mode, JavaAgents.doc(CONFIG))) {
            Map<String, String> port = Map.of("port", Integer.toString(exporter.port()));
            Exposition idle = exporter.scrape(e -> e.find("hotbind_listener_state", port) != null);
            HotbindSeries.assertDocumented(idle, port, HotbindSeries.JMX_EXPORTER_LABELS, true);

            long idleMillis = exporter.lastScrapeMillis();

            Exposition loaded = exporter.withConnections(HotbindSeries.CONNECTIONS,
                    e -> e.find("hotbind_listener_open_connections", port).value() >= HotbindSeries.CONNECTIONS);
            assertTrue(loaded.find("hotbind_listener_accepted_total", port).value() >= HotbindSeries.CONNECTIONS);
            assertTrue(loaded.named("hotbind_open_connections").get(0).value() >= HotbindSeries.CONNECTIONS);
            HotbindSeries.assertBounded(jdk + ", hotbind by " + mode + ", jmx_exporter shipped configuration", idle,
                    idleMillis, loaded, n -> n.startsWith("hotbind_"), exporter);

            // the labels name the listener JMX names: its id key, its port
            HotbindJmx hotbind = exporter.target().hotbind();
            ObjectName listener = hotbind.listenerOnPort(exporter.port());
            String id = loaded.find("hotbind_listener_state", port).labels().get("listener_id");
            assertEquals(listener.getKeyProperty("id"), id);
            hotbind.invoke(listener, "unbind");
            exporter.scrape(e -> e.find("hotbind_listener_state", Map.of("listener_id", id)).value() == 1.0);
            hotbind.invoke(listener, "rebind");
            exporter.scrape(e -> e.find("hotbind_listener_state", Map.of("listener_id", id)).value() == 0.0);
            // a move changes host and port, not listener_id
            int moved = FreePort.pick();
            hotbind.invoke(listener, "rebindTo", new Object[] {"127.0.0.1:" + moved},
                    new String[] {String.class.getName()});
            exporter.scrape(e -> e.find("hotbind_listener_state", Map.of("listener_id", id, "host", "127.0.0.1",
                    "port", Integer.toString(moved))) != null
                    && e.find("hotbind_listener_state", port) == null);
        }
    }

    /** hotbind and the exporter (its HTTP endpoint on loopback, with {@code config}) in a target JVM. */
    private static ScrapedTarget start(Jdk jdk, Mode mode, Path config) throws Exception {
        int metricsPort = FreePort.pick();
        return ScrapedTarget.start(TargetJvm.on(jdk).mode(mode)
                .javaagent(JavaAgents.jmxExporter(), "127.0.0.1:" + metricsPort + ":" + config), metricsPort);
    }
}
