package dev.hotbind.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The Netty style: a non-blocking ServerSocketChannel registered with a Selector; one event-loop
 * thread accepts and echoes, never blocking. Small echoes are written at once; a real server would
 * queue what a full send buffer does not take.
 */
final class SelectorListener {
    static final String STYLE = "selector";

    private final ServerSocketChannel server;
    private final Selector selector;

    private SelectorListener(ServerSocketChannel server, Selector selector) {
        this.server = server;
        this.selector = selector;
    }

    static DemoListener start(InetAddress host, int port) throws IOException {
        Selector selector = Selector.open();
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(host, port), 128);
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        SelectorListener listener = new SelectorListener(server, selector);
        Workers.start("demo-selector-loop", listener::eventLoop);
        return new DemoListener(STYLE, server.socket().getLocalPort(), listener::stop);
    }

    private void eventLoop() {
        ByteBuffer buffer = ByteBuffer.allocate(4096);
        try {
            while (server.isOpen()) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key, buffer);
                }
                selector.selectedKeys().clear();
            }
        } catch (IOException | ClosedSelectorException e) {
            if (server.isOpen()) {
                System.out.println(STYLE + " event loop failed: " + e);
            }
        }
        System.out.println(STYLE + " listener closed, event loop ends");
        closeAll();
    }

    private void handle(SelectionKey key, ByteBuffer buffer) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
        } else if (key.isReadable()) {
            echo((SocketChannel) key.channel(), buffer);
        }
    }

    private void accept() {
        try {
            SocketChannel channel = server.accept();
            if (channel == null) {
                return;
            }
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(("hello from " + STYLE + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            if (server.isOpen()) {
                AcceptLoop.failed(STYLE, e);
            }
        }
    }

    private static void echo(SocketChannel channel, ByteBuffer buffer) {
        buffer.clear();
        try {
            if (channel.read(buffer) < 0) {
                channel.close();
                return;
            }
            buffer.flip();
            channel.write(buffer);
        } catch (IOException e) {
            System.out.println(STYLE + " connection ended: " + e);
            try {
                channel.close();
            } catch (IOException ignored) {
                // already reported
            }
        }
    }

    /** The loop owns its connections: they end with it. */
    private void closeAll() {
        try {
            for (SelectionKey key : selector.keys()) {
                key.channel().close();
            }
            selector.close();
        } catch (IOException | ClosedSelectorException e) {
            System.out.println(STYLE + " cleanup failed: " + e);
        }
    }

    /** Closing the channel leaves its selection key registered; the wakeup lets the loop see the close. */
    private void stop() {
        AcceptLoop.close(STYLE, server);
        selector.wakeup();
    }
}
