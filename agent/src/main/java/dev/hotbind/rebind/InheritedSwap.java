package dev.hotbind.rebind;

import dev.hotbind.jdk.JdkListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The swap an inherited socket takes the place of an application's bind with: the same dup2 and
 * wake-up as a rebind, so blocking, selector and virtual-thread acceptors see nothing different.
 */
public final class InheritedSwap {
    private InheritedSwap() {
    }

    /**
     * Puts the listening socket under descriptor {@code given} (kept open by hotbind) under
     * {@code server}, which has just bound a stand-in; answers the microseconds it took.
     * {@code requested}: the address the application asked for, which its ServerSocket reports.
     */
    public static long adopt(JdkListener server, int given, InetSocketAddress requested) throws IOException {
        // just bound: no thread can wait in its accept yet
        return SocketSwapper.adopt(server, given, requested, List::of).micros();
    }
}
