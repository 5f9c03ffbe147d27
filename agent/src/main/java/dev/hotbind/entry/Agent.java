package dev.hotbind.entry;

import dev.hotbind.advice.Instrumenter;
import dev.hotbind.audit.Auditor;
import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.bindretry.BindRetry;
import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.discovery.AttachDiscovery;
import dev.hotbind.discovery.DiscoveryReport;
import dev.hotbind.discovery.MissedAccepts;
import dev.hotbind.drain.Drainer;
import dev.hotbind.drain.ShutdownDrain;
import dev.hotbind.inherit.Environment;
import dev.hotbind.inherit.Inheritance;
import dev.hotbind.jmx.JmxExporter;
import dev.hotbind.options.AgentOptions;
import dev.hotbind.options.LiveOptions;
import dev.hotbind.policy.SocketPolicy;
import dev.hotbind.rebind.Handover;
import dev.hotbind.rebind.ListenerOperations;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.Registry;
import dev.hotbind.startup.StartupPhases;
import java.lang.instrument.Instrumentation;
import java.util.concurrent.atomic.AtomicReference;

/** Starts hotbind once its bootstrap classes are in place, and takes the options of a repeat attach. */
final class Agent {
    /** Bounds the wait for the MBeans at an attach: a JVM too loaded for this still gets them, later. */
    private static final long PUBLISH_WAIT_MILLIS = 5_000;
    /** The options of the hotbind running in this JVM; null until it has started. */
    private static volatile LiveOptions running;

    private Agent() {
    }

    /**
     * After an attach ({@code attached}) the listeners, accept threads and connections the JVM already
     * has are discovered and their MBeans registered before this returns, so before the attaching tool
     * gets its answer; their discovery's cost is printed and shown on the Agent MBean.
     */
    static void start(Instrumentation instrumentation, AgentOptions options, StartupPhases phases,
                      boolean attached) {
        JmxExporter exporter = JmxExporter.create(phases);
        if (attached) {
            exporter.startEarly();
        }
        LiveOptions live = new LiveOptions(options);
        // the accept path, composed here once: hand-over substitution, socket policy (which a repeat
        // attach may change), then the registry's own counting and connection record
        Handover handover = new Handover();
        Registry registry = new Registry(options.history(), SocketPolicy.of(options), handover);
        // before the JDK's classes are woven: the first bind may follow at once
        Inheritance inheritance = options.inherit() == null ? null : Environment.read(options.inherit());
        if (inheritance != null) {
            registry.substitute(inheritance);
        }
        live.follow((before, after) -> policyChanged(registry, before, after));
        registry.observe(ListenerEvents.OBSERVER);
        BindRetry bindRetry = new BindRetry(options);
        registry.bindFailures(bindRetry);
        live.follow((before, after) -> bindRetry.configure(after));
        Hooks.install(registry);
        phases.mark("registry");
        Instrumenter.install(instrumentation, phases, inheritance != null);
        phases.mark("instrument JDK classes");
        ListenerOperations operations = new ListenerOperations(registry, handover);
        Drainer drainer = new Drainer(registry, operations);
        ShutdownDrain shutdown = new ShutdownDrain(registry, drainer);
        shutdown.configure(options);
        live.follow((before, after) -> shutdown.configure(after));
        phases.mark("operations");
        Auditor auditor = Auditor.start(registry, options);
        live.follow(auditor::reconfigure);
        phases.mark("audit");
        // the Agent MBean is built on hotbind-jmx while the discovery walks; the listeners it found after
        AtomicReference<DiscoveryReport> discovery = new AtomicReference<>(
                attached ? DiscoveryReport.RUNNING : DiscoveryReport.NONE);
        exporter.publish(registry, live, version(), operations, drainer, auditor, bindRetry, discovery::get,
                inheritance);
        phases.mark("JMX exporter");
        if (attached) {
            DiscoveryReport found = AttachDiscovery.run(registry, auditor.kernel());
            discovery.set(found);
            exporter.publishListeners();
            auditor.unreachedAtAttach(found.unreached());
            auditor.beforeEachAudit(new MissedAccepts(registry));
            System.err.println("hotbind: " + found.summary());
            phases.mark("attach discovery");
        }
        running = live;
        if (attached) {
            exporter.awaitPublished(PUBLISH_WAIT_MILLIS);
            phases.mark("wait for the MBeans (attach)");
        }
    }

    /**
     * A repeat attach: applies the options it gives over those in effect and answers what changed,
     * or refuses (IllegalArgumentException) one that cannot change at run time.
     */
    static String reconfigure(AgentOptions changes) {
        LiveOptions live = running;
        if (live == null) {
            throw new IllegalStateException("hotbind " + System.getProperty(HotbindAgent.LOADED_PROPERTY)
                    + " runs in this JVM from another copy of the agent; its options cannot be changed from this one");
        }
        return live.change(changes);
    }

    /**
     * New sockets follow the new policy. Turning reuseport on also sets it on the listeners already
     * bound, which is what lets a new process join their ports; turning it off stops setting it on new
     * listeners but takes it from none, since the application may have set it itself.
     */
    private static void policyChanged(Registry registry, AgentOptions before, AgentOptions after) {
        SocketPolicy policy = SocketPolicy.of(after);
        registry.policy(policy);
        if (policy != null && after.reusePort() && !before.reusePort()) {
            for (ListenerRecord listener : registry.listeners()) {
                Object server = listener.server();
                if (server != null) {
                    policy.listener(server);
                }
            }
        }
    }

    static String version() {
        String version = Agent.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }
}
