package dev.hotbind.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The classic style: a ServerSocket, one thread in an accept loop, a pool serving connections. */
final class ClassicListener implements DemoListener {
    static final String STYLE = "classic";

    private final ServerSocket server;

    private ClassicListener(ServerSocket server) {
        this.server = server;
    }

    static ClassicListener start(InetAddress host, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(host, port), 50);
        AcceptLoop.start(STYLE, server::accept, server::isClosed);
        return new ClassicListener(server);
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
        AcceptLoop.close(STYLE, server);
    }
}
