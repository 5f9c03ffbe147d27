package dev.hotbind.entry;

import dev.hotbind.advice.Instrumenter;
import dev.hotbind.audit.Auditor;
import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.drain.Drainer;
import dev.hotbind.drain.ShutdownDrain;
import dev.hotbind.jmx.JmxExporter;
import dev.hotbind.options.AgentOptions;
import dev.hotbind.policy.SocketPolicy;
import dev.hotbind.rebind.ListenerOperations;
import dev.hotbind.registry.Registry;
import dev.hotbind.startup.StartupPhases;
import java.lang.instrument.Instrumentation;

/** Starts hotbind once its bootstrap classes are in place. */
final class Agent {
    /**
     * Byte Buddy's switch to stay off {@code sun.misc.Unsafe}. Shading relocates this name together
     * with Byte Buddy's own, so it reaches only hotbind's copy, never the application's Byte Buddy.
     */
    private static final String BYTE_BUDDY_SAFE = "net.bytebuddy.safe";

    /**
     * With {@code -javaagent}, how long the {@code hotbind-jmx} thread waits before it creates the
     * platform MBeanServer and publishes: that costs 100-300 ms of CPU, which a short-lived JVM (a CLI
     * tool, a batch job) then never pays and a server pays after its own start, not competing with it.
     * The registry records every bind from the start; only its publication waits.
     */
    static final long PUBLISH_DELAY_AT_LAUNCH_MILLIS = 1_000;

    private Agent() {
    }

    static void start(Instrumentation instrumentation, AgentOptions options, StartupPhases phases,
                      long publishDelayMillis) {
        System.setProperty(BYTE_BUDDY_SAFE, "true");
        Registry registry = new Registry(options.history());
        registry.policy(SocketPolicy.of(options));
        registry.observe(ListenerEvents.OBSERVER);
        Hooks.install(registry);
        phases.mark("registry");
        Instrumenter.install(instrumentation, phases);
        phases.mark("instrument JDK classes");
        ListenerOperations operations = new ListenerOperations(registry);
        Drainer drainer = new Drainer(registry, operations);
        if (options.drainOnShutdownMillis() > 0) {
            ShutdownDrain.install(drainer, options.drainOnShutdownMillis());
        }
        phases.mark("operations");
        Auditor auditor = Auditor.start(registry, options);
        phases.mark("audit");
        JmxExporter.start(registry, options, version(), operations, drainer, auditor, phases, publishDelayMillis);
        phases.mark("JMX exporter");
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
