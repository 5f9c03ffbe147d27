package dev.hotbind.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Another process holding a loopback port with a listening socket, as a server's predecessor still
 * does while it shuts down, until {@link #release} closes it. A python3 process: nothing of the JVM or
 * hotbind is in it.
 */
public final class PortHolder implements AutoCloseable {
    private static final String SCRIPT = String.join("\n",
            "import socket, sys",
            "s = socket.socket()",
            "s.bind(('127.0.0.1', 0))",
            "s.listen(8)",
            "print(s.getsockname()[1], flush=True)",
            "sys.stdin.readline()",
            "s.close()",
            "print('released', flush=True)",
            "sys.stdin.read()");

    private final Process process;
    private final BufferedReader out;
    private final int port;

    private PortHolder(Process process) throws IOException {
        this.process = process;
        this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        this.port = Integer.parseInt(line());
    }

    public static PortHolder start() throws IOException {
        return new PortHolder(new ProcessBuilder("python3", "-c", SCRIPT).redirectErrorStream(true).start());
    }

    public int port() {
        return port;
    }

    /** Closes the listening socket; returns once it is closed (the port is then free). */
    public void release() throws IOException {
        OutputStream in = process.getOutputStream();
        in.write('\n');
        in.flush();
        String answer = line();
        if (!answer.equals("released")) {
            throw new IOException("the holder answered '" + answer + "'");
        }
    }

    private String line() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the holder process ended");
        }
        return line;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
