package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code ServerSocket.implAccept(Socket)}, which every accept of a ServerSocket and its subclasses runs. */
public final class SocketAcceptAdvice {
    private SocketAcceptAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object server) {
        return Hooks.acceptEnter(server);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Object server, @Advice.Enter Object token, @Advice.Argument(0) Object socket,
                     @Advice.Thrown Throwable thrown) {
        Hooks.acceptExit(token, server, thrown == null ? socket : null, thrown);
    }
}
