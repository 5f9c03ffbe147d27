package dev.hotbind.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.Map;

/**
 * The virtual threads parked on a socket (JDK 21+): a virtual thread blocked in accept or read is not
 * in any thread list, but {@code sun.nio.ch.Poller} keeps, per read poller, a map from descriptor to
 * the thread waiting on it. Resolved only when asked, because initialising {@code Poller} starts its
 * threads: callers ask only once a socket shows a virtual thread inside it, when it already runs.
 * Needs {@code sun.nio.ch} opened to this module.
 */
public final class VirtualPollers {
    private static final MethodHandle READ_POLLERS;
    private static final VarHandle WAITERS;
    /** Why the pollers cannot be read on this JDK, or null when they can. */
    public static final String UNAVAILABLE;

    static {
        MethodHandle readPollers = null;
        VarHandle waiters = null;
        String unavailable = null;
        try {
            Class<?> poller = Class.forName("sun.nio.ch.Poller", false, null);
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(poller, MethodHandles.lookup());
            readPollers = lookup.findStatic(poller, "readPollers", MethodType.methodType(List.class));
            waiters = lookup.findVarHandle(poller, "map", Map.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = "virtual threads' pollers are not readable on this JDK: " + e;
        }
        READ_POLLERS = readPollers;
        WAITERS = waiters;
        UNAVAILABLE = unavailable;
    }

    private VirtualPollers() {
    }

    /** The virtual thread parked waiting to read (or accept) on descriptor {@code fd}, or null. */
    public static Thread waitingOn(int fd) {
        if (UNAVAILABLE != null) {
            return null;
        }
        try {
            for (Object poller : (List<?>) READ_POLLERS.invoke()) {
                Object thread = ((Map<?, ?>) WAITERS.get(poller)).get(fd);
                if (thread instanceof Thread) {
                    return (Thread) thread;
                }
            }
        } catch (Throwable e) {
            return null;
        }
        return null;
    }
}
