package dev.hotbind.it.apps;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http11.Http11NioProtocol;

/**
 * Embedded Tomcat with its NIO connector: the Acceptor thread blocks in
 * {@code ServerSocketChannel.accept()}, a Poller selects on the accepted connections.
 */
public final class TomcatApp {
    /** Held strongly so the level sticks: Tomcat logs every start-up step at INFO otherwise. */
    private static final Logger TOMCAT_LOG = Logger.getLogger("org.apache");

    private TomcatApp() {
    }

    public static void main(String[] args) throws Exception {
        TOMCAT_LOG.setLevel(Level.WARNING);
        Tomcat tomcat = new Tomcat();
        // under the build directory, so the work directory Tomcat leaves behind is cleaned with it
        tomcat.setBaseDir(Path.of("target", "tomcat-" + ProcessHandle.current().pid()).toAbsolutePath().toString());
        Connector connector = new Connector(Http11NioProtocol.class.getName());
        connector.setPort(Replies.port());
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "replies", new RepliesServlet());
        context.addServletMappingDecoded("/", "replies");
        tomcat.start();
        // what deployments do (Catalina's own hook does the same): stop Tomcat, closing the listener, on exit
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                System.err.println("tomcat stop failed: " + e);
            }
        }, "tomcat-shutdown"));
        Replies.ready("tomcat", connector.getLocalPort());
        tomcat.getServer().await();
    }

    /** Answers every GET as {@link Replies} says. */
    static final class RepliesServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            try {
                Thread.sleep(Replies.delayMillis(request.getRequestURI(), request.getQueryString()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] body = Replies.BODY.getBytes(StandardCharsets.UTF_8);
            response.setContentType("text/plain");
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        }
    }
}
