package dev.hotbind.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;

/**
 * The Tomcat/Jetty style: a blocking ServerSocketChannel, an acceptor thread, a worker pool. A close
 * from another thread surfaces in the acceptor as AsynchronousCloseException; the channel is then no
 * longer open, which is how the loop knows the close was meant.
 */
final class ChannelListener {
    static final String STYLE = "channel";

    private ChannelListener() {
    }

    static DemoListener start(InetAddress host, int port) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        server.bind(new InetSocketAddress(host, port), 100);
        AcceptLoop.start(STYLE, () -> server.accept().socket(), () -> !server.isOpen());
        return new DemoListener(STYLE, server.socket().getLocalPort(), () -> AcceptLoop.close(STYLE, server));
    }
}
