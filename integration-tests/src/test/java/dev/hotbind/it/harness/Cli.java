package dev.hotbind.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** {@code java -jar hotbind-agent.jar ...} run as the operator runs it: a separate JVM on a given JDK. */
public final class Cli {
    /** Generous: `jvms` asks every JVM on a busy machine, and the Attach API waits up to 10 s for each. */
    private static final Duration LIMIT = Duration.ofSeconds(60);
    private static final String SETPRIV = "/usr/bin/setpriv";
    private static final String SCRIPT = "/usr/bin/script";

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

    /**
     * Runs the CLI on a pseudo-terminal, as an operator at a shell does, through util-linux
     * {@code script}; returns null where there is none. Everything the CLI prints arrives on stdout.
     */
    public static Result runOnTerminal(Jdk jdk, String... args) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of(SCRIPT))) {
            return null;
        }
        StringBuilder command = new StringBuilder();
        for (String word : List.of(jdk.java().toString(), "-jar", TargetJvm.AGENT_JAR.toString())) {
            command.append(shellQuoted(word)).append(' ');
        }
        for (String arg : args) {
            command.append(shellQuoted(arg)).append(' ');
        }
        return run(List.of(SCRIPT, "-qec", command.toString().trim(), "/dev/null"), List.of(), null);
    }

    private static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /**
     * Runs the CLI as user {@code nobody}, or returns null where that is not possible (not root, no
     * setpriv). The clone may live where {@code nobody} cannot read (root's home, a {@code mktemp -d}
     * folder), so that user runs a copy of the jar from a folder of its own, as an operator would.
     */
    public static Result runAsNobody(Jdk jdk, String... args) throws IOException, InterruptedException {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root || !Files.isExecutable(Path.of(SETPRIV))) {
            return null;
        }
        Path folder = Files.createTempDirectory("hotbind-nobody",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path jar = folder.resolve(TargetJvm.AGENT_JAR.getFileName());
        try {
            Files.copy(TargetJvm.AGENT_JAR, jar);
            Files.setPosixFilePermissions(jar, PosixFilePermissions.fromString("rw-r--r--"));
            return run(List.of(SETPRIV, "--reuid=65534", "--regid=65534", "--clear-groups"), jar, folder, jdk, args);
        } finally {
            Files.deleteIfExists(jar);
            Files.deleteIfExists(folder);
        }
    }

    private static Result run(List<String> wrapper, Jdk jdk, String... args)
            throws IOException, InterruptedException {
        return run(wrapper, TargetJvm.AGENT_JAR, null, jdk, args);
    }

    private static Result run(List<String> wrapper, Path agentJar, Path workingDirectory, Jdk jdk, String... args)
            throws IOException, InterruptedException {
        List<String> cli = new ArrayList<>(List.of(jdk.java().toString(), "-jar", agentJar.toString()));
        cli.addAll(List.of(args));
        return run(wrapper, cli, workingDirectory);
    }

    private static Result run(List<String> wrapper, List<String> cli, Path workingDirectory)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(cli);
        Path out = Files.createTempFile("hotbind-cli", ".out");
        Path err = Files.createTempFile("hotbind-cli", ".err");
        try {
            Process process = new ProcessBuilder(command).directory(workingDirectory == null ? null
                            : workingDirectory.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
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
