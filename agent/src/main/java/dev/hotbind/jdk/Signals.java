package dev.hotbind.jdk;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * {@code sun.misc.Signal} (module jdk.unsupported), resolved by name: lets hotbind act on SIGTERM
 * before the JVM's own handler begins the exit. Unavailable (another JDK, a JVM started with
 * {@code -Xrs}) means {@link #intercept} answers why and changes nothing.
 */
public final class Signals {
    private static final String UNAVAILABLE;
    private static final Class<?> SIGNAL;
    private static final Class<?> HANDLER;
    private static final Method HANDLE;
    private static final Method HANDLE_SIGNAL;
    private static final Object SIG_DFL;
    private static final Object SIG_IGN;

    static {
        String unavailable = null;
        Class<?> signal = null;
        Class<?> handler = null;
        Method handle = null;
        Method handleSignal = null;
        Object dfl = null;
        Object ign = null;
        try {
            signal = Class.forName("sun.misc.Signal");
            handler = Class.forName("sun.misc.SignalHandler");
            handle = signal.getMethod("handle", signal, handler);
            handleSignal = handler.getMethod("handle", signal);
            dfl = handler.getField("SIG_DFL").get(null);
            ign = handler.getField("SIG_IGN").get(null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            unavailable = "sun.misc.Signal is not usable here: " + e;
        }
        UNAVAILABLE = unavailable;
        SIGNAL = signal;
        HANDLER = handler;
        HANDLE = handle;
        HANDLE_SIGNAL = handleSignal;
        SIG_DFL = dfl;
        SIG_IGN = ign;
    }

    private Signals() {
    }

    /** Runs before the handler that was there; the handler it replaced then runs as before. */
    public interface Before {
        void run(String signal);
    }

    /**
     * Puts {@code before} in front of the Java handler of signal {@code name} ("TERM", "INT"): the JVM's
     * exit for those. Answers null when done, else why not; a signal the JVM leaves to the OS (-Xrs,
     * ignored by the parent) is left alone.
     */
    public static String intercept(String name, Before before) {
        if (UNAVAILABLE != null) {
            return UNAVAILABLE;
        }
        try {
            Object signal = SIGNAL.getConstructor(String.class).newInstance(name);
            Object[] previous = new Object[1];
            Object ours = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {HANDLER},
                    (proxy, method, args) -> {
                        if (!method.equals(HANDLE_SIGNAL)) {
                            return method.getName().equals("toString") ? "hotbind SIG" + name + " handler"
                                    : method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                                    : (Object) (proxy == args[0]);
                        }
                        try {
                            before.run(name);
                        } catch (Throwable t) {
                            System.err.println("hotbind: SIG" + name + " handling failed, the JVM exits as usual: " + t);
                        }
                        try {
                            return HANDLE_SIGNAL.invoke(previous[0], args[0]);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            previous[0] = HANDLE.invoke(null, signal, ours);
            if (previous[0] == SIG_DFL || previous[0] == SIG_IGN) {
                HANDLE.invoke(null, signal, previous[0]);
                return "SIG" + name + " has no Java handler in this JVM (-Xrs, or ignored)";
            }
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            return "cannot handle SIG" + name + ": " + cause;
        }
    }
}
