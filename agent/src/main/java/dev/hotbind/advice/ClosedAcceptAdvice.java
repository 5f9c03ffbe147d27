package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import java.net.ServerSocket;
import net.bytebuddy.asm.Advice;

/**
 * {@code ServerSocket.accept()}, which throws "Socket is closed" before reaching {@code implAccept}:
 * without this, a loop spinning on a closed ServerSocket would be invisible to the audit.
 */
public final class ClosedAcceptAdvice {
    private ClosedAcceptAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This ServerSocket server) {
        if (server.isClosed()) {
            Hooks.acceptOnClosed(server);
        }
    }
}
