package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;

/** {@code ServerSocketChannelImpl.accept()} and {@code blockingAccept(long)}, which return the connection. */
public final class ChannelAcceptAdvice {
    private ChannelAcceptAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static Object enter(@Advice.This Object server) {
        return Hooks.acceptEnter(server);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class)
    static void exit(@Advice.This Object server, @Advice.Enter Object token, @Advice.Return Object accepted,
                     @Advice.Thrown Throwable thrown) {
        Hooks.acceptExit(token, server, accepted, thrown);
    }
}
