package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/** {@code ServerSocket.bind(SocketAddress, int)} and {@code ServerSocketChannelImpl.bind(SocketAddress, int)}. */
public final class BindAdvice {
    private BindAdvice() {
    }

    /** The address may be replaced: a bind that an inherited socket will take binds a stand-in (see {@code inherit}). */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object server,
                      @Advice.Argument(value = 0, readOnly = false) SocketAddress address) {
        address = Hooks.binding(server, address);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Object server, @Advice.Argument(1) int backlog, @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            Hooks.bound(server, backlog);
        }
    }
}
