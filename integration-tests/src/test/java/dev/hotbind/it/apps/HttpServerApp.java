package dev.hotbind.it.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The JDK's {@link HttpServer}: it binds through {@code channel.socket().bind(...)} and accepts on a
 * non-blocking channel when its dispatcher's selector fires.
 */
public final class HttpServerApp {
    private HttpServerApp() {
    }

    public static void main(String[] args) throws Exception {
        // The JDK's server closes a keep-alive connection idle for 30 s (its default). An attach-mode test
        // holds two from before the attach and asserts hotbind finds them; with six target JVMs starting
        // at a load average of 30 the attach can come later than that: it found none, twice, while an
        // attach by hand to the same app at that load found both.
        System.setProperty("sun.net.httpserver.idleInterval", "600");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Replies.port()), 0);
        server.createContext("/", HttpServerApp::answer);
        // handlers off the dispatcher thread, so a slow answer does not stall accepting
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
        // what deployments do: stop the server, closing the listener, on exit
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1), "httpserver-shutdown"));
        Replies.ready("httpserver", server.getAddress().getPort());
    }

    private static void answer(HttpExchange exchange) throws IOException {
        URI uri = exchange.getRequestURI();
        try {
            Thread.sleep(Replies.delayMillis(uri.getPath(), uri.getQuery()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        byte[] body = Replies.BODY.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
        exchange.close();
    }
}
