package dev.hotbind.entry;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/** Opens the JDK packages whose private socket state hotbind reads and, for a rebind, changes. */
final class JdkAccess {
    private JdkAccess() {
    }

    static void open(Instrumentation instrumentation) {
        Module agent = JdkAccess.class.getModule();
        Module base = Object.class.getModule();
        Set<Module> toAgent = Set.of(agent);
        instrumentation.redefineModule(base, Set.of(), Map.of(),
                Map.of("java.net", toAgent, "java.io", toAgent, "sun.nio.ch", toAgent,
                        "java.nio.channels.spi", toAgent),
                Set.of(), Map.of());
    }
}
