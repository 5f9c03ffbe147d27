package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code Socket.close()} and {@code SocketChannelImpl.implCloseSelectableChannel()}. On entry, while
 * the descriptor is still open: once closed, its number can be reused by another accept.
 */
public final class ConnectionCloseAdvice {
    private ConnectionCloseAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object connection) {
        Hooks.connectionClosing(connection);
    }
}
