package dev.hotbind.drain;

import dev.hotbind.options.Durations;

/**
 * {@code drainOnShutdown}: a shutdown hook that drains every listener when the JVM is asked to exit
 * (SIGTERM, SIGINT, {@code System.exit}, the last non-daemon thread ending). The JDK runs shutdown
 * hooks concurrently and in no set order, and exits once all have returned: so the application's own
 * hooks run meanwhile, and the exit waits at most the drain's duration longer for hotbind's.
 */
public final class ShutdownDrain {
    private ShutdownDrain() {
    }

    public static void install(Drainer drainer, long timeoutMillis) {
        Thread hook = new Thread(() -> run(drainer, timeoutMillis), "hotbind-drain-on-shutdown");
        hook.setDaemon(true);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    private static void run(Drainer drainer, long timeoutMillis) {
        System.err.println("hotbind: JVM exiting; draining every listener for at most "
                + Durations.format(timeoutMillis) + " (drainOnShutdown)");
        try {
            for (String line : drainer.drainAll(timeoutMillis).split("\n")) {
                System.err.println("hotbind: " + line);
            }
        } catch (Throwable t) {
            System.err.println("hotbind: drain on shutdown failed, the JVM exits now: " + t);
        }
    }
}
