package dev.hotbind.it.apps;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/** Accepts connections and holds every one open, for measuring the audit with many connections. */
public final class HoldingApp {
    private HoldingApp() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open()
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        System.out.println("holding port " + server.socket().getLocalPort());
        System.out.println("holding-app ready");
        List<SocketChannel> held = new ArrayList<>();
        while (true) {
            held.add(server.accept());
        }
    }
}
