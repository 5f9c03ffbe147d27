package dev.hotbind.demo;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread pools and threads named for what they do, as an operator reads them in a thread dump. */
final class Workers {
    private Workers() {
    }

    static ExecutorService pool(String prefix) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = task -> named(prefix + "-" + count.incrementAndGet(), task);
        return Executors.newCachedThreadPool(factory);
    }

    static Thread start(String name, Runnable task) {
        Thread thread = named(name, task);
        thread.start();
        return thread;
    }

    private static Thread named(String name, Runnable task) {
        Thread thread = new Thread(task, name);
        thread.setDaemon(false);
        return thread;
    }
}
