package dev.hotbind.demo;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** What an accept loop does with a failure that is not its listener being closed. */
final class AcceptErrors {
    /** Long enough that a persistent failure (too many open files) cannot spin a core. */
    private static final long BACKOFF_MILLIS = 100;

    private AcceptErrors() {
    }

    /** Logs the failure and pauses briefly; the loop then accepts again. */
    static void report(String style, IOException e) {
        System.out.println(style + " accept failed, retrying: " + e);
        try {
            TimeUnit.MILLISECONDS.sleep(BACKOFF_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
