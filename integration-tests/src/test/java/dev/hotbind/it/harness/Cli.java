package dev.hotbind.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar hotbind-agent.jar ...} run as the operator runs it: a separate JVM on a given JDK. */
public final class Cli {
    /** Generous: `jvms` asks every JVM on a busy machine, and the Attach API waits up to 10 s for each. */
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String SETPRIV = "/usr/bin/setpriv";

    private Cli() {
    }

    /** What one run printed and how it exited. */
    public record Result(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public static Result run(Jdk jdk, String... args) throws IOException, InterruptedException {
        return run(List.of(), jdk, args);
    }

    /** Runs the CLI as user {@code nobody}, or returns null where that is not possible (not root, no setpriv). */
    public static Result runAsNobody(Jdk jdk, String... args) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of(SETPRIV))) {
            return null;
        }
        return run(List.of(SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups"), jdk, args);
    }

    private static Result run(List<String> wrapper, Jdk jdk, String... args)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(jdk.java().toString(), "-jar", TargetJvm.AGENT_JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("hotbind-cli", ".out");
        Path err = Files.createTempFile("hotbind-cli", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .start();
            if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", command) + " did not finish within " + LIMIT);
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
