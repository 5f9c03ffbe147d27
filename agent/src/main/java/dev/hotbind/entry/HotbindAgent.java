package dev.hotbind.entry;

import dev.hotbind.jdk.ModuleAccess;
import dev.hotbind.options.AgentOptions;
import dev.hotbind.startup.StartupPhases;
import java.lang.instrument.Instrumentation;

/**
 * The core's entry points, for {@code -javaagent} and for a dynamic attach, called by
 * {@code dev.hotbind.launch.AgentLauncher} through hotbind's own class loader. Touches no class that
 * must come from the bootstrap class path until {@link BootstrapClasses} has put them there: that loader
 * refuses them until then (it would otherwise define a second copy).
 */
public final class HotbindAgent {
    /** Set once hotbind runs in this JVM; {@code jvms} reads it, and a second attach sees it. */
    public static final String LOADED_PROPERTY = "hotbind.version";
    /** Set when an attach failed, so the attaching CLI can tell the operator why. */
    public static final String ERROR_PROPERTY = "hotbind.attach.error";
    /** Set by a repeat attach to what it changed, so the attaching CLI can report it. */
    public static final String RESULT_PROPERTY = "hotbind.attach.result";

    private HotbindAgent() {
    }

    /** @param called {@code System.nanoTime()} when the JVM called the launcher's {@code premain} */
    public static void premain(String arguments, Instrumentation instrumentation, long called) {
        try {
            start(arguments, instrumentation, called, false);
        } catch (Throwable t) {
            System.err.println("hotbind: " + message(t) + "; the application continues without hotbind");
        }
    }

    /** @param called {@code System.nanoTime()} when the JVM called the launcher's {@code agentmain} */
    public static void agentmain(String arguments, Instrumentation instrumentation, long called) {
        try {
            System.clearProperty(RESULT_PROPERTY);
            start(arguments, instrumentation, called, true);
            System.clearProperty(ERROR_PROPERTY);
        } catch (Throwable t) {
            System.setProperty(ERROR_PROPERTY, message(t));
            System.err.println("hotbind: attach failed: " + message(t));
            throw new AttachFailure(message(t));
        }
    }

    private static synchronized void start(String arguments, Instrumentation instrumentation, long called,
                                           boolean attached) throws Exception {
        StartupPhases phases = new StartupPhases(called);
        phases.mark("load core");
        if (System.getProperty(LOADED_PROPERTY) != null) {
            String result = Agent.reconfigure(AgentOptions.parseChanges(arguments));
            System.setProperty(RESULT_PROPERTY, result);
            System.err.println("hotbind: repeat attach: " + result);
            return;
        }
        AgentOptions options = AgentOptions.parse(arguments);
        phases.mark("options");
        ModuleAccess.open(instrumentation);
        phases.mark("open JDK packages");
        BootstrapClasses.define(instrumentation);
        phases.mark("bootstrap classes");
        Agent.start(instrumentation, options, phases, attached);
        System.setProperty(LOADED_PROPERTY, Agent.version());
    }

    private static String message(Throwable t) {
        return t instanceof IllegalArgumentException ? t.getMessage() : t.toString();
    }
}
