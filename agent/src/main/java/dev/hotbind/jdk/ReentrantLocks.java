package dev.hotbind.jdk;

import java.lang.invoke.MethodHandle;
import java.util.concurrent.locks.ReentrantLock;

/**
 * {@code ReentrantLock}'s protected {@code getOwner()}: the thread holding a JDK-internal lock, such
 * as the one a platform thread holds for as long as it is inside {@code ServerSocket.accept()}.
 * Reading it takes no lock and disturbs no one. Needs {@code java.util.concurrent.locks} opened to
 * this module.
 */
final class ReentrantLocks {
    private static final MethodHandle GET_OWNER;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("ReentrantLock's owner");
        GET_OWNER = r.method(ReentrantLock.class, "getOwner", Thread.class);
        AVAILABILITY = r.availability();
    }

    private ReentrantLocks() {
    }

    /** The owning thread, or null when the lock is free (or its owner cannot be read here). */
    static Thread owner(ReentrantLock lock) {
        if (!AVAILABILITY.available()) {
            return null;
        }
        try {
            return (Thread) GET_OWNER.invokeExact(lock);
        } catch (Throwable t) {
            throw new IllegalStateException("reading the owner of " + lock, t);
        }
    }
}
