package dev.hotbind.it.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A loopback client connection to a target's listener. Returns once the server has answered, so the
 * connection has certainly been accepted; stays open until closed.
 */
public final class Client implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 30_000;

    private final Socket socket;
    private final BufferedReader in;

    private Client(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    }

    public static Client connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout(TIMEOUT_MILLIS);
        socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
        return new Client(socket);
    }

    /** Connects to a line-protocol listener and reads its greeting line. */
    public static Client greeted(int port) throws IOException {
        Client client = connect(port);
        client.expectLine("hello from ");
        return client;
    }

    /** Connects to an HTTP listener and completes one keep-alive request; the connection stays open. */
    public static Client http(int port) throws IOException {
        Client client = connect(port);
        OutputStream out = client.socket.getOutputStream();
        out.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        client.expectLine("hello from ");
        return client;
    }

    /** The client's own port: the remote port the server sees. */
    public int localPort() {
        return socket.getLocalPort();
    }

    /** Sends one line (the line protocol echoes it). */
    public void println(String line) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Reads lines until one starts with {@code prefix}; returns it. */
    public String expectLine(String prefix) throws IOException {
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("connection to port " + socket.getPort() + " ended before a line starting '"
                + prefix + "'");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
