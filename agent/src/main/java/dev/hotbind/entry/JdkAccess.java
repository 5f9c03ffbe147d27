package dev.hotbind.entry;

import java.lang.instrument.Instrumentation;
import java.util.Map;
import java.util.Set;

/**
 * Opens the JDK packages whose private socket state hotbind reads and, for a rebind, changes; and,
 * for the discovery at an attach, those holding what the JVM already has: threads' NIO blockers
 * ({@code java.lang}) and the common cleaner's list of sockets ({@code java.lang.ref},
 * {@code jdk.internal.ref}). Opened to hotbind's module only, so application code gains nothing.
 */
final class JdkAccess {
    private JdkAccess() {
    }

    static void open(Instrumentation instrumentation) {
        Module agent = JdkAccess.class.getModule();
        Module base = Object.class.getModule();
        Set<Module> toAgent = Set.of(agent);
        instrumentation.redefineModule(base, Set.of(), Map.of(),
                Map.of("java.net", toAgent, "java.io", toAgent, "sun.nio.ch", toAgent,
                        "java.nio.channels.spi", toAgent, "java.lang", toAgent, "java.lang.ref", toAgent,
                        "jdk.internal.ref", toAgent),
                Set.of(), Map.of());
    }
}
