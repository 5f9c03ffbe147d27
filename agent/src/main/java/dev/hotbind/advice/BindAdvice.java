package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/**
 * {@code ServerSocket.bind(SocketAddress, int)} and {@code ServerSocketChannelImpl.bind(SocketAddress, int)}.
 * A bind that fails may be run again, on the application's own thread, when the agent's {@code bindRetry}
 * asks for it ({@code repeatOn}: the method body runs again, the enter advice does not). Both JDK methods
 * leave the socket unbound and open when the bind fails, and hold no lock once they have thrown, so the
 * next attempt is the same call as the first. The retry's state lives in a local of the method for the
 * call's whole life.
 */
public final class BindAdvice {
    private BindAdvice() {
    }

    /** The address may be replaced: a bind that an inherited socket will take binds a stand-in (see {@code inherit}). */
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This Object server, @Advice.Local("retry") Object retry,
                      @Advice.Argument(value = 0, readOnly = false) SocketAddress address) {
        address = Hooks.binding(server, address);
    }

    @Advice.OnMethodExit(suppress = Throwable.class, onThrowable = Throwable.class,
            repeatOn = Advice.OnNonDefaultValue.class)
    static boolean exit(@Advice.This Object server, @Advice.Argument(0) Object endpoint,
                        @Advice.Argument(1) int backlog, @Advice.Local("retry") Object retry,
                        @Advice.Thrown(readOnly = false) Throwable thrown) {
        if (thrown == null) {
            if (retry != null) {
                Hooks.retriedBindSucceeded(retry);
            }
            Hooks.bound(server, backlog);
            return false;
        }
        Object next = Hooks.bindFailed(retry, server, endpoint, thrown);
        if (next instanceof Throwable) {
            thrown = (Throwable) next;
            return false;
        }
        retry = next;
        return next != null;
    }
}
