package dev.hotbind.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;

/** The classic style: a ServerSocket, one thread in an accept loop, a pool serving connections. */
final class ClassicListener implements DemoListener {
    static final String STYLE = "classic";

    private final ServerSocket server;
    private final ExecutorService workers = Workers.pool("demo-classic-worker");

    private ClassicListener(ServerSocket server) {
        this.server = server;
    }

    static ClassicListener start(InetAddress host, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(host, port), 50);
        ClassicListener listener = new ClassicListener(server);
        Workers.start("demo-classic-acceptor", listener::acceptLoop);
        return listener;
    }

    private void acceptLoop() {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    System.out.println(STYLE + " listener closed, accept loop ends");
                    workers.shutdown();
                    return;
                }
                AcceptErrors.report(STYLE, e);
                continue;
            }
            workers.execute(() -> LineEcho.serve(STYLE, socket));
        }
    }

    @Override
    public String style() {
        return STYLE;
    }

    @Override
    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            System.out.println(STYLE + " close failed: " + e);
        }
    }
}
