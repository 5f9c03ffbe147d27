package dev.hotbind.discovery;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every live platform thread, from the root thread group: no safepoint and no stack walk, unlike
 * {@code Thread.getAllStackTraces()}, so enumerating them stops no application thread.
 */
final class PlatformThreads {
    private PlatformThreads() {
    }

    static List<Thread> all() {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        Thread[] threads = new Thread[Math.max(16, root.activeCount() * 2)];
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        return new ArrayList<>(Arrays.asList(threads).subList(0, n));
    }
}
