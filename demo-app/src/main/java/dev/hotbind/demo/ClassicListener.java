package dev.hotbind.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The classic style: a ServerSocket, one thread in an accept loop, a pool serving connections. */
final class ClassicListener {
    static final String STYLE = "classic";

    private ClassicListener() {
    }

    static DemoListener start(InetAddress host, int port) throws IOException {
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(host, port), 50);
        AcceptLoop.start(STYLE, server::accept, server::isClosed);
        return new DemoListener(STYLE, server.getLocalPort(), () -> AcceptLoop.close(STYLE, server));
    }
}
