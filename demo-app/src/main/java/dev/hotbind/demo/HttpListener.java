package dev.hotbind.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/** The JDK HttpServer (a non-blocking channel on a Selector inside): 200 "hello from httpserver". */
final class HttpListener {
    static final String STYLE = "httpserver";

    private HttpListener() {
    }

    static DemoListener start(InetAddress host, int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        ExecutorService workers = Workers.pool("demo-http-worker");
        server.createContext("/", HttpListener::hello);
        server.setExecutor(workers);
        server.start();
        return new DemoListener(STYLE, server.getAddress().getPort(), () -> {
            server.stop(0);
            workers.shutdown();
            System.out.println(STYLE + " listener closed");
        });
    }

    private static void hello(HttpExchange exchange) throws IOException {
        byte[] body = ("hello from " + STYLE + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
