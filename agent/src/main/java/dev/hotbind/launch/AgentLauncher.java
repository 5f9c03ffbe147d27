package dev.hotbind.launch;

import java.lang.instrument.Instrumentation;

/**
 * The agent jar's {@code Premain-Class} and {@code Agent-Class}: the only hotbind class the
 * application class loader defines in an agent. It loads the core through an {@link AgentClassLoader}
 * of its own and hands over; a later attach to the same JVM reuses that loader, so the core's state
 * (which notices the second attach) is found again.
 */
public final class AgentLauncher {
    private static final String CORE_ENTRY = "dev.hotbind.entry.HotbindAgent";
    /** The core's entry takes the moment the JVM called us, so its start-up phases include loading the core. */
    private static final Class<?>[] ENTRY_TYPES = {String.class, Instrumentation.class, long.class};
    private static ClassLoader core;

    private AgentLauncher() {
    }

    public static void premain(String arguments, Instrumentation instrumentation) {
        long called = System.nanoTime();
        try {
            CoreLoader.call(core(), CORE_ENTRY, "premain", ENTRY_TYPES, arguments, instrumentation, called);
        } catch (Exception e) {
            // the core reports its own failures; this is one of loading it: the application goes on without
            System.err.println("hotbind: " + e + "; the application continues without hotbind");
        }
    }

    public static void agentmain(String arguments, Instrumentation instrumentation) throws Exception {
        long called = System.nanoTime();
        CoreLoader.call(core(), CORE_ENTRY, "agentmain", ENTRY_TYPES, arguments, instrumentation, called);
    }

    private static synchronized ClassLoader core() throws java.io.IOException {
        if (core == null) {
            core = CoreLoader.create(false);
        }
        return core;
    }
}
