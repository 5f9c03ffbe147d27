package dev.hotbind.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;

/** The Tomcat/Jetty style: a blocking ServerSocketChannel, an acceptor thread, a worker pool. */
final class ChannelListener implements DemoListener {
    static final String STYLE = "channel";

    private final ServerSocketChannel server;
    private final ExecutorService workers = Workers.pool("demo-channel-worker");

    private ChannelListener(ServerSocketChannel server) {
        this.server = server;
    }

    static ChannelListener start(InetAddress host, int port) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(host, port), 100);
        ChannelListener listener = new ChannelListener(server);
        Workers.start("demo-channel-acceptor", listener::acceptLoop);
        return listener;
    }

    private void acceptLoop() {
        while (true) {
            SocketChannel channel;
            try {
                channel = server.accept();
            } catch (ClosedChannelException closed) {
                // AsynchronousCloseException too: another thread closed the channel while we waited
                System.out.println(STYLE + " listener closed, accept loop ends");
                workers.shutdown();
                return;
            } catch (IOException e) {
                AcceptErrors.report(STYLE, e);
                continue;
            }
            workers.execute(() -> LineEcho.serve(STYLE, channel.socket()));
        }
    }

    @Override
    public String style() {
        return STYLE;
    }

    @Override
    public int port() {
        return server.socket().getLocalPort();
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
