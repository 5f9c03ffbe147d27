package dev.hotbind.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What one benchmark run uses: the JDK its server JVMs run on, the jars, and how long each
 * measurement lasts ({@code --quick} trades steadiness for a run under a minute).
 */
record Setup(Path java, Path agentJar, Path serverJar, boolean quick, int pairs, Duration run, Duration warmup,
             int rebinds) {

    /** The same for the JVM with the agent and the one without: only -javaagent differs. */
    static final List<String> SERVER_JVM_OPTIONS = List.of("-Xms256m", "-Xmx256m", "-XX:+UseSerialGC");

    static Setup of(boolean quick, Path java) throws IOException {
        Path here = ownJarDirectory();
        Path agentJar = located("hotbind.agent.jar", here.resolve("../../agent/target/hotbind-agent.jar"));
        Path serverJar = located("hotbind.bench.server.jar", here.resolve("hotbind-benchmarks-server.jar"));
        return quick
                ? new Setup(java, agentJar, serverJar, true, 6, Duration.ofMillis(500), Duration.ofMillis(1500), 100)
                : new Setup(java, agentJar, serverJar, false, 15, Duration.ofMillis(4000), Duration.ofSeconds(4), 1_000);
    }

    /** The agent's CLI ({@code java -jar hotbind-agent.jar args...}) on the server JVMs' JDK. */
    List<String> cli(String... args) {
        List<String> command = new ArrayList<>(List.of(java.toString(), "-jar", agentJar.toString()));
        command.addAll(List.of(args));
        return command;
    }

    /** The feature version of the server JVMs' JDK (17, 25), from its {@code release} file; 0 if unreadable. */
    int serverFeature() {
        try {
            for (String line : Files.readAllLines(java.toRealPath().getParent().getParent().resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    return Runtime.Version.parse(line.substring(line.indexOf('=') + 1).replace("\"", "")).feature();
                }
            }
        } catch (IOException | IllegalArgumentException unknown) {
            // said by the 0
        }
        return 0;
    }

    static Path defaultJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    private static Path located(String property, Path fallback) throws IOException {
        String given = System.getProperty(property);
        Path path = (given != null ? Path.of(given) : fallback).toAbsolutePath().normalize();
        if (!Files.isRegularFile(path)) {
            throw new IOException(path + " not found (set -D" + property + "=...); build first with: "
                    + "mvn -q package -DskipTests");
        }
        return path;
    }

    /** benchmarks/target, whether running from the jar or from target/classes. */
    private static Path ownJarDirectory() throws IOException {
        try {
            Path self = Path.of(Setup.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return self.getParent();
        } catch (URISyntaxException | SecurityException e) {
            throw new IOException("cannot locate the benchmarks jar: " + e, e);
        }
    }
}
