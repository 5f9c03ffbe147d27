package dev.hotbind.it.apps;

/**
 * What every target server answers, whichever server carries it, and how it says it is ready: tests
 * then talk to Jetty, Tomcat, Netty and the JDK HttpServer alike.
 */
public final class Replies {
    /** Printed once the server accepts connections. */
    public static final String READY = "READY";
    public static final String BODY = "ok";
    /** {@code /slow?ms=N} answers after N ms: drain tests keep requests in flight with it. */
    public static final String SLOW = "/slow";

    private Replies() {
    }

    /** How long to wait before answering a request for {@code path} with {@code query} (may be null). */
    public static long delayMillis(String path, String query) {
        if (!SLOW.equals(path) || query == null) {
            return 0;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("ms=")) {
                try {
                    return Math.max(0, Long.parseLong(pair.substring(3)));
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 0;
    }

    /**
     * The port to listen on: 0 (ephemeral) unless {@code -Dhotbind.it.port} names one, as a deployment's
     * configuration would (socket activation tests give the inherited socket's).
     */
    public static int port() {
        return Integer.getInteger("hotbind.it.port", 0);
    }

    /** SLF4J at WARN (Jetty and Netty log through it): a quiet start-up, yet a failed accept shows. */
    public static void warningsOnly() {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** The lines {@code TargetJvm} waits for: {@code "<name> port <n>"}, then {@link #READY}. */
    public static void ready(String name, int port) {
        System.out.println(name + " port " + port);
        System.out.println(READY);
        System.out.flush();
    }
}
