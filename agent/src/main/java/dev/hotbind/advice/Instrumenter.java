package dev.hotbind.advice;

import dev.hotbind.startup.StartupPhases;
import java.lang.instrument.Instrumentation;

/**
 * Weaves the advice into the JDK's socket classes: at load time, and by retransforming those of them
 * already loaded (after an attach, or when the application's start-up loaded them before hotbind's).
 * Only method bodies change (no new members), so retransformation works after an attach. Exactly those
 * classes are retransformed, one by one, so one that fails leaves the others instrumented.
 */
public final class Instrumenter {
    private Instrumenter() {
    }

    /**
     * @param phases where the time each weaving takes is recorded, whenever and on whichever thread it happens
     * @param childProcesses whether child process starts are to be seen too (only inherited sockets need it)
     */
    public static void install(Instrumentation instrumentation, StartupPhases phases, boolean childProcesses) {
        JdkTransformer transformer = new JdkTransformer(phases, childProcesses ? Weaving.ALL : Weaving.SOCKETS);
        // registered first: a class loaded from here on is woven as it loads; one loaded meanwhile is
        // retransformed from its original bytes again below, which weaves it the same way
        instrumentation.addTransformer(transformer, true);
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (transformer.instruments(type)) {
                try {
                    instrumentation.retransformClasses(type);
                } catch (Throwable t) {
                    transformer.failed(type.getName(), t);
                }
            }
        }
    }
}
