package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code ServerSocket.close()} and {@code ServerSocketChannelImpl.implCloseSelectableChannel()}. */
public final class ServerCloseAdvice {
    private ServerCloseAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object server) {
        Hooks.serverClosing(server);
    }
}
