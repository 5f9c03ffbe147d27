package dev.hotbind.jdk;

import java.lang.invoke.MethodHandle;
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
    private static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("virtual threads' pollers");
        // found without initialising it: the lookups below do not start its threads either
        Class<?> poller = r.type("sun.nio.ch.Poller");
        READ_POLLERS = r.staticMethod(poller, "readPollers", List.class);
        WAITERS = r.field(poller, "map", Map.class);
        AVAILABILITY = r.availability();
    }

    private VirtualPollers() {
    }

    public static Availability availability() {
        return AVAILABILITY;
    }

    /** The virtual thread parked waiting to read (or accept) on descriptor {@code fd}, or null. */
    public static Thread waitingOn(int fd) {
        if (!AVAILABILITY.available()) {
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
