package dev.hotbind.registry;

import dev.hotbind.jdk.ThreadBlockers;
import java.nio.channels.ServerSocketChannel;

/**
 * Whether a thread the discovery found inside accept is still there. Its accept began before the
 * attach, in code hotbind never instrumented, so nothing tells hotbind when it returns: the audit asks
 * this each interval until the thread enters accept again (then the instrumented code says it).
 */
public final class StillAccepting {
    /** The JDK frames of an accept, up to which a stack is read. */
    private static final int TOP_FRAMES = 24;

    private StillAccepting() {
    }

    public static boolean test(AcceptWaiter waiter) {
        Thread t = waiter.thread();
        if (!t.isAlive()) {
            return false;
        }
        Object server = waiter.listener().server();
        return server instanceof ServerSocketChannel && ThreadBlockers.blockedOn(t) == server || inAccept(t);
    }

    /** Whether the thread's stack is inside the JDK's accept now (a handshake with that thread alone). */
    public static boolean inAccept(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, TOP_FRAMES); i++) {
            String type = stack[i].getClassName();
            if ((type.equals("sun.nio.ch.NioSocketImpl") || type.equals("sun.nio.ch.ServerSocketChannelImpl"))
                    && stack[i].getMethodName().toLowerCase(java.util.Locale.ROOT).contains("accept")) {
                return true;
            }
        }
        return false;
    }
}
