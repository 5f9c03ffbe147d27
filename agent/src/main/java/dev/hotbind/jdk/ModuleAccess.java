package dev.hotbind.jdk;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Opens the JDK packages whose private socket state this package reads and, for a rebind, changes, and
 * the one whose {@code Unsafe} defines hotbind's bootstrap classes ({@link InternalUnsafe}), to hotbind's
 * module: the unnamed module of its own {@code AgentClassLoader}, which holds hotbind's core and nothing
 * of the application's. The discovery at an attach also reads what the JVM already has: threads' NIO
 * blockers ({@code java.lang}), the common cleaner's list of sockets ({@code java.lang.ref},
 * {@code jdk.internal.ref}) and which thread holds a listener's accept lock ({@code java.util.concurrent.locks}). Runs before any handle class here is initialised, so their members resolve.
 */
public final class ModuleAccess {
    private ModuleAccess() {
    }

    public static void open(Instrumentation instrumentation) {
        Module agent = ModuleAccess.class.getModule();
        Module base = Object.class.getModule();
        Set<Module> toAgent = Set.of(agent);
        instrumentation.redefineModule(base, Set.of(), Map.of(),
                Map.of("java.net", toAgent, "java.io", toAgent, "sun.nio.ch", toAgent,
                        "java.nio.channels.spi", toAgent, "java.lang", toAgent, "java.lang.ref", toAgent,
                        "jdk.internal.ref", toAgent, "jdk.internal.misc", toAgent,
                        "java.util.concurrent.locks", toAgent),
                Set.of(), Map.of());
    }
}
