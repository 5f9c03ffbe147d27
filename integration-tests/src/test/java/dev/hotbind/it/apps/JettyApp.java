package dev.hotbind.it.apps;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * Embedded Jetty 12: a {@link ServerConnector} with one acceptor thread, which blocks in
 * {@code ServerSocketChannel.accept()} (the blocking-channel acceptor model).
 */
public final class JettyApp {
    private JettyApp() {
    }

    public static void main(String[] args) throws Exception {
        Replies.warningsOnly();
        QueuedThreadPool threads = new QueuedThreadPool(16, 4);
        threads.setName("jetty");
        Server server = new Server(threads);
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(Replies.port());
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Thread.sleep(Replies.delayMillis(Request.getPathInContext(request), request.getHttpURI().getQuery()));
                byte[] body = Replies.BODY.getBytes(StandardCharsets.UTF_8);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                Content.Sink.write(response, true, Replies.BODY, callback);
                return true;
            }
        });
        // what deployments do: Jetty's own shutdown hook stops the server, closing the listener
        server.setStopAtShutdown(true);
        server.start();
        Replies.ready("jetty", connector.getLocalPort());
        server.join();
    }
}
