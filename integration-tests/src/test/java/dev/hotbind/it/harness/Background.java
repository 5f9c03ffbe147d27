package dev.hotbind.it.harness;

import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Work a test runs beside itself, each task on its own daemon thread. Not the common pool: on a
 * 2-core machine it has one worker, and from JDK 25 on CompletableFuture uses it even then, so
 * "concurrent" blocking requests would run one after the other.
 */
public final class Background {
    private Background() {
    }

    public static <T> CompletableFuture<T> start(String name, Supplier<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                result.complete(task.get());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        }, "it-" + name);
        thread.setDaemon(true);
        thread.start();
        return result;
    }
}
