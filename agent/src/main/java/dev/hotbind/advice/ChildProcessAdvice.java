package dev.hotbind.advice;

import dev.hotbind.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code ProcessBuilder.start(Redirect[])}, which every child process started through the JDK's API
 * ({@code ProcessBuilder.start}, {@code startPipeline}, {@code Runtime.exec}) goes through.
 */
public final class ChildProcessAdvice {
    private ChildProcessAdvice() {
    }

    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.This ProcessBuilder builder) {
        Hooks.childStarting(builder);
    }
}
