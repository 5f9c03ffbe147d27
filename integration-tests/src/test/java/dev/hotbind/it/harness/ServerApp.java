package dev.hotbind.it.harness;

import dev.hotbind.it.apps.HttpServerApp;
import dev.hotbind.it.apps.JettyApp;
import dev.hotbind.it.apps.NettyApp;
import dev.hotbind.it.apps.TomcatApp;
import java.util.regex.Pattern;

/** The real servers the tests run, with what hotbind must report about each one's listener. */
public enum ServerApp {
    JETTY(JettyApp.class, "jetty", true, "jetty-\\d+-acceptor-0@.*", "org.eclipse.jetty.server.ServerConnector."),
    TOMCAT(TomcatApp.class, "tomcat", true, "http-nio-127\\.0\\.0\\.1-auto-\\d+-Acceptor",
            "org.apache.tomcat.util.net.NioEndpoint."),
    NETTY(NettyApp.class, "netty", false, null, "io.netty.channel.socket.nio.NioServerSocketChannel."),
    HTTP_SERVER(HttpServerApp.class, "httpserver", false, null, "sun.net.httpserver.ServerImpl.");

    private final Class<?> mainClass;
    private final String portName;
    private final boolean blocking;
    private final Pattern acceptThread;
    private final String bindFramePrefix;

    ServerApp(Class<?> mainClass, String portName, boolean blocking, String acceptThread, String bindFramePrefix) {
        this.mainClass = mainClass;
        this.portName = portName;
        this.blocking = blocking;
        this.acceptThread = acceptThread == null ? null : Pattern.compile(acceptThread);
        this.bindFramePrefix = bindFramePrefix;
    }

    public Class<?> mainClass() {
        return mainClass;
    }

    /** The name in the app's {@code "<name> port <n>"} line. */
    public String portName() {
        return portName;
    }

    /**
     * Whether a thread waits inside accept: Jetty's and Tomcat's acceptors block in
     * {@code ServerSocketChannel.accept()}; Netty and the HttpServer accept only when a selector fires.
     */
    public boolean blocking() {
        return blocking;
    }

    /** The name of the thread blocked in accept while idle; only for {@link #blocking()} servers. */
    public Pattern acceptThread() {
        return acceptThread;
    }

    /** The server's own code that binds, as found in a stack frame (after any module name). */
    public String bindFramePrefix() {
        return bindFramePrefix;
    }

    @Override
    public String toString() {
        return mainClass.getSimpleName();
    }
}
