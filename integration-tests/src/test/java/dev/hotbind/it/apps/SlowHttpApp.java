package dev.hotbind.it.apps;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A JDK HttpServer without any graceful shutdown of its own: {@code /slow?ms=N} answers after N ms,
 * {@code /who} answers the name given as first argument at once. Binds 127.0.0.1 on the port given as
 * second argument (0: any), prints "http port N" and "ready", and logs each slow request it starts.
 */
public final class SlowHttpApp {
    private SlowHttpApp() {
    }

    public static void main(String[] args) throws IOException {
        String name = args.length > 0 ? args[0] : "slow-http";
        int port = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/who", exchange -> answer(exchange, name));
        server.createContext("/slow", exchange -> {
            long millis = Long.parseLong(exchange.getRequestURI().getQuery().replace("ms=", ""));
            System.out.println("slow request started " + millis + " ms");
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answer(exchange, name + " slept " + millis + " ms");
        });
        server.start();
        System.out.println("http port " + server.getAddress().getPort());
        System.out.println("ready");
    }

    private static void answer(HttpExchange exchange, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Connection", "close");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
