package dev.hotbind.it.harness;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 client on plain sockets, so tests see exactly which connection failed how
 * (refused, reset, timed out) and decide themselves when a connection opens and closes.
 */
public final class Http {
    public static final String HOST = "127.0.0.1";
    /** Generous for a loaded 2-core machine, small enough that nothing hangs. */
    public static final int TIMEOUT_MILLIS = 5_000;

    private Http() {
    }

    /** GET on a new connection with {@code Connection: close}; returns the body of a 200 answer. */
    public static String get(int port, String path) throws IOException {
        return get(port, path, TIMEOUT_MILLIS);
    }

    /** {@link #get(int, String)} waiting up to {@code timeoutMillis} to connect and for each read. */
    public static String get(int port, String path, int timeoutMillis) throws IOException {
        try (Socket socket = connect(port, timeoutMillis)) {
            return exchange(socket, port, path, true);
        }
    }

    /** Whether a connection to {@code port} is refused right now. */
    public static boolean refuses(int port) {
        try (Socket ignored = connect(port)) {
            return false;
        } catch (java.net.ConnectException refused) {
            return true;
        } catch (IOException other) {
            return false;
        }
    }

    static Socket connect(int port) throws IOException {
        return connect(port, TIMEOUT_MILLIS);
    }

    private static Socket connect(int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setSoTimeout(timeoutMillis);
            socket.connect(new InetSocketAddress(HOST, port), timeoutMillis);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends one GET and reads its whole answer: to EOF when closing, else by Content-Length. */
    static String exchange(Socket socket, int port, String path, boolean close) throws IOException {
        send(socket, head(port, path, close) + "\r\n");
        return answer(socket, close);
    }

    /** A GET's request line and headers, without the empty line that ends them. */
    private static String head(int port, String path, boolean close) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + HOST + ":" + port + "\r\n"
                + (close ? "Connection: close\r\n" : "");
    }

    private static void send(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static String answer(Socket socket, boolean close) throws IOException {
        InputStream in = socket.getInputStream();
        String status = line(in);
        if (!status.startsWith("HTTP/1.1 200")) {
            throw new IOException("unexpected answer: " + status);
        }
        int length = -1;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(header.substring("content-length:".length()).trim());
            }
        }
        if (length < 0) {
            throw new IOException("answer without Content-Length");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("answer cut after " + body.length + " of " + length + " bytes");
        }
        if (close && in.read() >= 0) {
            throw new IOException("more bytes after the answer on a Connection: close request");
        }
        return new String(body, StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new EOFException("connection ended before the answer was complete");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /**
     * A {@code Connection: close} GET in flight for as long as the test wants: sent but for the empty line
     * that ends its headers, so the server waits for the rest until {@link #complete()}.
     */
    public static final class InFlight implements Closeable {
        private final Socket socket;

        public InFlight(int port, String path) throws IOException {
            socket = connect(port);
            send(socket, head(port, path, true));
        }

        /** Sends the rest of the request. */
        public InFlight complete() throws IOException {
            send(socket, "\r\n");
            return this;
        }

        /**
         * Reads the whole answer and returns its body, then closes as a client of a {@code Connection: close}
         * request does (Jetty half-closes after answering and closes only once it sees the client's end);
         * fails if the connection ends before the answer is complete.
         */
        public String answer() throws IOException {
            try (socket) {
                return Http.answer(socket, true);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A kept-alive connection: served a request, then held open until closed by the test. */
    public static final class KeepAlive implements Closeable {
        private final Socket socket;
        private final int port;

        public KeepAlive(int port) throws IOException {
            this.port = port;
            this.socket = connect(port);
        }

        public String get(String path) throws IOException {
            return exchange(socket, port, path, false);
        }

        /** Whether the server has ended the connection (end of stream or a reset) before the read timeout. */
        public boolean endedByServer() throws IOException {
            try {
                return socket.getInputStream().read() < 0;
            } catch (java.net.SocketTimeoutException stillOpen) {
                return false;
            } catch (java.net.SocketException reset) {
                return true;
            }
        }

        /** The client's end, which the server sees as the connection's remote address. */
        public int localPort() {
            return socket.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
