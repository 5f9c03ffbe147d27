package dev.hotbind.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Another process of this user trying to take a port the way a client-stealing process would: a
 * listener with SO_REUSEPORT bound to the port on loopback, then on the wildcard address. The kernel
 * allows it only while the port's reuse-port record is open, so it tells whether anything left the
 * port joinable. Runs as its own JVM (its {@link #main} answers one line per port read on stdin:
 * {@code refused}, or {@code joined <address>}); a test keeps one running and asks it.
 */
public final class PortJoiner implements AutoCloseable {
    private static final List<String> HOSTS = List.of("127.0.0.1", "0.0.0.0");

    private final Process process;
    private final BufferedReader answers;

    private PortJoiner(Process process) {
        this.process = process;
        this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Starts the joiner on the JDK running the tests, with the tests' class path. */
    public static PortJoiner start() throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                PortJoiner.class.getName()).redirectErrorStream(true).start();
        return new PortJoiner(process);
    }

    /** {@code refused}, or {@code joined <address>} when a SO_REUSEPORT listener of this process got the port. */
    public synchronized String tryJoin(int port) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write((port + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        String answer = answers.readLine();
        if (answer == null) {
            throw new IOException("the joiner process ended (exit " + process.exitValue() + ")");
        }
        return answer;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    public static void main(String[] args) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            System.out.println(join(Integer.parseInt(line.trim())));
            System.out.flush();
        }
    }

    private static String join(int port) throws IOException {
        for (String host : HOSTS) {
            try (ServerSocketChannel joiner = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
                joiner.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                // bind and listen, as a thief would: the kernel checks the port on both
                joiner.bind(new InetSocketAddress(host, port));
                return "joined " + host + ":" + port;
            } catch (BindException expected) {
                // the port's holder does not share it
            }
        }
        return "refused";
    }
}
