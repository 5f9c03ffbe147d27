package dev.hotbind.entry;

import dev.hotbind.advice.Instrumenter;
import dev.hotbind.audit.Auditor;
import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.discovery.AttachDiscovery;
import dev.hotbind.discovery.DiscoveryReport;
import dev.hotbind.discovery.MissedAccepts;
import dev.hotbind.drain.Drainer;
import dev.hotbind.drain.ShutdownDrain;
import dev.hotbind.jmx.JmxExporter;
import dev.hotbind.options.AgentOptions;
import dev.hotbind.policy.SocketPolicy;
import dev.hotbind.rebind.ListenerOperations;
import dev.hotbind.registry.Registry;
import java.lang.instrument.Instrumentation;

/** Starts hotbind once its bootstrap classes are in place. */
final class Agent {
    /**
     * Byte Buddy's switch to stay off {@code sun.misc.Unsafe}. Shading relocates this name together
     * with Byte Buddy's own, so it reaches only hotbind's copy, never the application's Byte Buddy.
     */
    private static final String BYTE_BUDDY_SAFE = "net.bytebuddy.safe";

    /** Bounds the wait for the MBeans at an attach: a JVM too loaded for this still gets them, later. */
    private static final long PUBLISH_WAIT_MILLIS = 5_000;

    private Agent() {
    }

    /**
     * After an attach ({@code attached}) the listeners, accept threads and connections the JVM already
     * has are discovered and their MBeans registered before this returns, so before the attaching tool
     * gets its answer; their discovery's cost is printed and shown on the Agent MBean.
     */
    static void start(Instrumentation instrumentation, AgentOptions options, boolean attached) {
        System.setProperty(BYTE_BUDDY_SAFE, "true");
        Registry registry = new Registry(options.history());
        registry.policy(SocketPolicy.of(options));
        registry.observe(ListenerEvents.OBSERVER);
        Hooks.install(registry);
        Instrumenter.install(instrumentation);
        ListenerOperations operations = new ListenerOperations(registry);
        Drainer drainer = new Drainer(registry, operations);
        if (options.drainOnShutdownMillis() > 0) {
            ShutdownDrain.install(drainer, options.drainOnShutdownMillis());
        }
        Auditor auditor = Auditor.start(registry, options);
        DiscoveryReport discovery = DiscoveryReport.NONE;
        if (attached) {
            discovery = AttachDiscovery.run(registry, auditor.kernel());
            auditor.unreachedAtAttach(discovery.unreached());
            auditor.beforeEachAudit(new MissedAccepts(registry));
            System.err.println("hotbind: " + discovery.summary());
        }
        JmxExporter exporter = JmxExporter.start(registry, options, version(), operations, drainer, auditor, discovery);
        if (attached) {
            exporter.awaitPublished(PUBLISH_WAIT_MILLIS);
        }
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
