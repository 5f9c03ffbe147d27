package dev.hotbind.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;

/**
 * A small server with one listener of each style hotbind instruments: a classic ServerSocket accept
 * loop, a blocking ServerSocketChannel acceptor (Tomcat/Jetty), a non-blocking channel on a Selector
 * (Netty) and the JDK HttpServer. Prints "<style> port <n>" for each, then serves until stopped.
 */
public final class DemoApp {
    /** Each flag takes one value and stores it in the settings; add new flags here. */
    private static final Map<String, BiConsumer<DemoSettings, String>> FLAGS = new LinkedHashMap<>();

    /** The listener styles, in port order: style i listens on port base + i. */
    private static final Map<String, Starter> STYLES = new LinkedHashMap<>();

    private interface Starter {
        DemoListener start(InetAddress host, int port) throws IOException;
    }

    static {
        STYLES.put(ClassicListener.STYLE, ClassicListener::start);
        STYLES.put(ChannelListener.STYLE, ChannelListener::start);
        STYLES.put(SelectorListener.STYLE, SelectorListener::start);
        STYLES.put(HttpListener.STYLE, HttpListener::start);
        FLAGS.put("--host", (s, v) -> s.host = v);
        FLAGS.put("--port-base", (s, v) -> s.portBase = DemoSettings.port(v));
        FLAGS.put("--orphan", (s, v) -> s.orphans.add(OrphanScenarios.Kind.parse(v)));
    }

    private DemoApp() {
    }

    public static void main(String[] args) throws Exception {
        DemoSettings settings;
        try {
            settings = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println("usage: java -jar hotbind-demo.jar [--host ADDRESS] [--port-base N]"
                    + " [--orphan KIND]... (N = 0: ephemeral ports; otherwise ports N..N+3; KIND: "
                    + OrphanScenarios.Kind.flags() + ")");
            System.exit(2);
            return;
        }
        InetAddress host;
        try {
            host = InetAddress.getByName(settings.host);
        } catch (UnknownHostException e) {
            System.err.println("demo: unknown host '" + settings.host + "'");
            System.exit(2);
            return;
        }
        List<DemoListener> listeners = new ArrayList<>();
        int index = 0;
        for (Map.Entry<String, Starter> style : STYLES.entrySet()) {
            int port = settings.port(index++);
            try {
                listeners.add(style.getValue().start(host, port));
            } catch (IOException e) {
                System.err.println("demo: cannot open the " + style.getKey() + " listener on " + settings.host
                        + (port == 0 ? " (ephemeral port)" : " port " + port) + ": " + e.getMessage());
                listeners.forEach(DemoListener::stop);
                System.exit(1);
                return;
            }
        }
        for (DemoListener listener : listeners) {
            System.out.println(listener.style() + " port " + listener.port());
        }
        for (OrphanScenarios.Kind orphan : settings.orphans) {
            System.out.println("orphan " + orphan.flag() + " port " + OrphanScenarios.start(orphan, host));
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            listeners.forEach(DemoListener::stop);
            // printed by the hook itself: the accept loops' own lines may be cut by the JVM's exit
            System.out.println("demo shutdown hook: listeners closed");
            stopped.countDown();
        }, "demo-shutdown"));
        System.out.println("demo ready — open JConsole on pid " + ProcessHandle.current().pid());
        stopped.await();
    }

    static DemoSettings parse(String[] args) {
        DemoSettings settings = new DemoSettings();
        for (int i = 0; i < args.length; i++) {
            BiConsumer<DemoSettings, String> flag = FLAGS.get(args[i]);
            if (flag == null) {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'; flags: " + FLAGS.keySet());
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            flag.accept(settings, args[++i]);
        }
        return settings;
    }
}
