package dev.hotbind.it.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The third-party Java agents, real releases from Maven Central, that the build copies to
 * {@code target/agents} (integration-tests/pom.xml) for target JVMs to load beside hotbind; and hotbind's
 * shipped documentation and configuration files, which tests run as a user would.
 */
public final class JavaAgents {
    private static final Path DIR = Path.of(System.getProperty("hotbind.it.agents", "target/agents"))
            .toAbsolutePath().normalize();
    private static final Path DOCS = Path.of(System.getProperty("hotbind.docs", "../docs")).toAbsolutePath()
            .normalize();

    private JavaAgents() {
    }

    /** io.prometheus.jmx:jmx_prometheus_javaagent. */
    public static Path jmxExporter() {
        return jar("jmx_prometheus_javaagent.jar");
    }

    /** org.jolokia:jolokia-agent-jvm, its javaagent jar. */
    public static Path jolokia() {
        return jar("jolokia-agent-jvm-javaagent.jar");
    }

    /** io.opentelemetry.javaagent:opentelemetry-javaagent. */
    public static Path openTelemetry() {
        return jar("opentelemetry-javaagent.jar");
    }

    /** A file under the repository's docs/. */
    public static Path doc(String relative) {
        Path file = DOCS.resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no " + file + ": the tests run the documentation's own files");
        }
        return file;
    }

    private static Path jar(String name) {
        Path jar = DIR.resolve(name);
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": the build copies it there (maven-dependency-plugin "
                    + "in integration-tests/pom.xml, phase process-test-resources)");
        }
        return jar;
    }
}
