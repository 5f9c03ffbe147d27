package dev.hotbind.it.apps;

/** One JVM with both models the drain tests need: the JDK HttpServer (selector) and a blocking ServerSocket. */
public final class DrainTargetApp {
    private DrainTargetApp() {
    }

    public static void main(String[] args) throws Exception {
        LineApp.main(new String[0]);
        SlowHttpApp.main(new String[] {"drain-target", "0"});
    }
}
