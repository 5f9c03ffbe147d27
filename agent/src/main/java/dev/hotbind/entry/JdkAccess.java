package dev.hotbind.entry;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Opens the JDK packages whose private socket state hotbind reads and, for a rebind, changes, and
 * exports the one whose {@code Unsafe} defines hotbind's bootstrap classes, to
 * hotbind's module: the unnamed module of its own {@code AgentClassLoader}, which holds hotbind's
 * core and nothing of the application's.
 */
final class JdkAccess {
    private JdkAccess() {
    }

    static void open(Instrumentation instrumentation) {
        Module agent = JdkAccess.class.getModule();
        Module base = Object.class.getModule();
        Set<Module> toAgent = Set.of(agent);
        instrumentation.redefineModule(base, Set.of(), Map.of(BootstrapClasses.UNSAFE_PACKAGE, toAgent),
                Map.of("java.net", toAgent, "java.io", toAgent, "sun.nio.ch", toAgent,
                        "java.nio.channels.spi", toAgent),
                Set.of(), Map.of());
    }
}
