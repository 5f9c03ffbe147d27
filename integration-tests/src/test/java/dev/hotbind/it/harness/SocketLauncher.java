package dev.hotbind.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code src/test/python/socket_launcher.py}: passes a listening socket to a JVM as systemd does (fd 3,
 * {@code LISTEN_FDS=1}, {@code LISTEN_PID} = the JVM's pid). {@link #exec} is the command that becomes
 * the JVM (for {@link TargetJvm.Builder#through}); {@link #hold} keeps the socket across JVMs it starts
 * and stops, as systemd holds a {@code .socket} unit's socket across restarts of its service.
 */
public final class SocketLauncher implements AutoCloseable {
    public static final Path SCRIPT = Path.of("src/test/python/socket_launcher.py").toAbsolutePath();
    /** In the JVM's arguments, replaced by the launcher with the port it bound. */
    public static final String PORT = "{port}";

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final OutputStream commands;
    private final int port;

    private SocketLauncher(Process process) {
        this.process = process;
        this.commands = process.getOutputStream();
        Thread pump = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    output.append(line).append('\n');
                }
            } catch (IOException ended) {
                // the launcher exited
            }
        }, "socket-launcher-output");
        pump.setDaemon(true);
        pump.start();
        this.port = Integer.parseInt(await("launcher port (\\d+)", 1, Poll.DEFAULT));
    }

    /** The command that binds 127.0.0.1 {@code port} (0: ephemeral), listens, and execs what follows as its pid. */
    public static List<String> exec(int port) {
        return List.of("python3", SCRIPT.toString(), "--port", Integer.toString(port), "exec", "--");
    }

    /**
     * A base port below the kernel's ephemeral range whose {@code count} ports are free now: a program that
     * binds several consecutive ports does not collide with the ephemeral ports other tests hold.
     */
    public static int freeBase(int count) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 32_000 - count);
            if (allFree(base, count)) {
                return base;
            }
        }
        throw new IllegalStateException("no " + count + " free consecutive ports between 20000 and 32000");
    }

    private static boolean allFree(int base, int count) {
        for (int p = base; p < base + count; p++) {
            try (ServerSocket probe = new ServerSocket(p, 1, InetAddress.getByName(Http.HOST))) {
                // free
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    /** Binds an ephemeral port on 127.0.0.1 and holds it; {@code program} ({@link #PORT} replaced) runs on {@link #start()}. */
    public static SocketLauncher hold(List<String> program) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", SCRIPT.toString(), "hold", "--"));
        command.addAll(program);
        return new SocketLauncher(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    public int port() {
        return port;
    }

    /** Starts the program with the socket as fd 3; answers its pid once it printed its {@code nth} {@code readyLine}. */
    public long start(String readyLine, int nth, Duration within) {
        command("start");
        long pid = Long.parseLong(await("started (\\d+)", nth, Poll.DEFAULT));
        await(Pattern.quote(readyLine), nth, within);
        return pid;
    }

    /** SIGTERM to the oldest program running; answers its exit status once it has exited. */
    public int stop(int nth, Duration within) {
        command("stop");
        return Integer.parseInt(await("exited \\d+ (-?\\d+)", nth, within));
    }

    public String output() {
        return output.toString();
    }

    private void command(String line) {
        try {
            commands.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the launcher took no command (it exited?):\n" + output, e);
        }
    }

    /** The first group of the {@code nth} line matching {@code regex}. */
    private String await(String regex, int nth, Duration within) {
        Pattern pattern = Pattern.compile("(?m)^.*?" + regex);
        return Poll.value("the launcher's output line " + nth + " matching /" + regex + "/", within, () -> {
            Matcher m = pattern.matcher(output);
            for (int found = 0; m.find(); ) {
                if (++found == nth) {
                    return m.groupCount() > 0 ? m.group(1) : m.group();
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the launcher exited with " + process.exitValue() + ":\n" + output);
            }
            return null;
        });
    }

    @Override
    public void close() throws InterruptedException {
        try {
            command("quit");
        } catch (UncheckedIOException exited) {
            // nothing left to stop
        }
        if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
