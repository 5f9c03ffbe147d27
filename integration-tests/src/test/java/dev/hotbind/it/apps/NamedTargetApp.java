package dev.hotbind.it.apps;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A main class of its own, so the CLI can find this JVM by name as jcmd would: a non-blocking channel
 * with SO_REUSEPORT accepted by a selector on thread "named-selector" ("selector port <n>"), then the
 * listeners of {@link HoldingServerApp} for the names in the arguments.
 */
public final class NamedTargetApp {
    private static final List<SocketChannel> HELD = new CopyOnWriteArrayList<>();

    private NamedTargetApp() {
    }

    public static void main(String[] args) throws Exception {
        ServerSocketChannel channel = ServerSocketChannel.open();
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        channel.configureBlocking(false);
        Selector selector = Selector.open();
        channel.register(selector, SelectionKey.OP_ACCEPT);
        Thread loop = new Thread(() -> {
            try {
                while (true) {
                    selector.select();
                    selector.selectedKeys().clear();
                    SocketChannel accepted = channel.accept();
                    if (accepted != null) {
                        HELD.add(accepted);
                    }
                }
            } catch (IOException e) {
                System.out.println("selector loop ended: " + e);
            }
        }, "named-selector");
        loop.setDaemon(true);
        loop.start();
        System.out.println("selector port " + channel.socket().getLocalPort());
        HoldingServerApp.main(args);
    }
}
