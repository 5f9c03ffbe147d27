package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code ServerSocket.bind(SocketAddress, int)} and {@code ServerSocketChannelImpl.bind(SocketAddress, int)}. */
public final class BindAdvice {
    private BindAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object server) {
        Hooks.binding(server);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Object server, @Advice.Argument(1) int backlog, @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            Hooks.bound(server, backlog);
        }
    }
}
