package dev.hotbind.demo;

import java.io.Closeable;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A blocking accept loop done right: it hands each connection to a worker pool, ends when its
 * listener is closed on purpose, and logs and backs off on any other failure instead of spinning.
 */
final class AcceptLoop {
    /** Long enough that a persistent failure (too many open files) cannot spin a core. */
    private static final long BACKOFF_MILLIS = 100;

    /** One blocking accept of a ServerSocket or a ServerSocketChannel. */
    interface Acceptor {
        Socket accept() throws IOException;
    }

    private AcceptLoop() {
    }

    /** Starts the loop on a thread named {@code demo-<style>-acceptor}, serving with {@link LineEcho}. */
    static void start(String style, Acceptor acceptor, BooleanSupplier closed) {
        ExecutorService workers = Workers.pool("demo-" + style + "-worker");
        Workers.start("demo-" + style + "-acceptor", () -> {
            while (true) {
                Socket socket;
                try {
                    socket = acceptor.accept();
                } catch (IOException e) {
                    if (closed.getAsBoolean()) {
                        System.out.println(style + " listener closed, accept loop ends");
                        workers.shutdown();
                        return;
                    }
                    failed(style, e);
                    continue;
                }
                workers.execute(() -> LineEcho.serve(style, socket));
            }
        });
    }

    /** Logs an accept failure that is not the listener being closed, and pauses briefly. */
    static void failed(String style, IOException e) {
        System.out.println(style + " accept failed, retrying: " + e);
        try {
            TimeUnit.MILLISECONDS.sleep(BACKOFF_MILLIS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Closes a listener on purpose; its loop sees the close and ends. */
    static void close(String style, Closeable listener) {
        try {
            listener.close();
        } catch (IOException e) {
            System.out.println(style + " close failed: " + e);
        }
    }
}
