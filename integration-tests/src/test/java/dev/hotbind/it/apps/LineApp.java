package dev.hotbind.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import jdk.net.ExtendedSocketOptions;

/**
 * A blocking ServerSocket with a thread per connection, the demo-app's style. Each connection sends one
 * line: {@code sleep <ms>} is answered "slept" after that long; {@code options} with the keepalive options
 * its accepted socket has, as the application itself reads them. Prints "line port N" and "ready".
 */
public final class LineApp {
    private LineApp() {
    }

    public static void main(String[] args) throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (true) {
                try {
                    Socket socket = server.accept();
                    new Thread(() -> serve(socket), "line-connection").start();
                } catch (IOException e) {
                    System.out.println("accept failed: " + e);
                    if (server.isClosed()) {
                        return;
                    }
                }
            }
        }, "line-acceptor");
        acceptor.start();
        System.out.println("line port " + server.getLocalPort());
        System.out.println("ready");
    }

    private static void serve(Socket socket) {
        try (socket;
             BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (line == null) {
                return;
            }
            if (line.startsWith("sleep ")) {
                Thread.sleep(Long.parseLong(line.substring(6)));
                out.println("slept");
            } else if (line.equals("options")) {
                out.println("keepalive=" + socket.getOption(StandardSocketOptions.SO_KEEPALIVE)
                        + " idle=" + socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE)
                        + " interval=" + socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL)
                        + " count=" + socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            System.out.println("connection ended: " + e);
        }
    }
}
