package dev.hotbind.jmx;

import dev.hotbind.audit.Auditor;
import dev.hotbind.bindretry.BindRetry;
import dev.hotbind.discovery.DiscoveryReport;
import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.drain.Drainer;
import dev.hotbind.inherit.Inheritance;
import dev.hotbind.options.LiveOptions;
import dev.hotbind.rebind.ConnectionOperations;
import dev.hotbind.rebind.ListenerOperations;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.ListenerState;
import dev.hotbind.registry.Registry;
import dev.hotbind.registry.RegistryObserver;
import dev.hotbind.startup.StartupPhases;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.jctools.queues.atomic.MpscUnboundedAtomicArrayQueue;

/**
 * Publishes the registry on the platform MBeanServer. Registration happens on the {@code hotbind-jmx}
 * thread, never on the application thread that bound or closed a socket: the application pays a
 * lock-free enqueue, and the MBeanServer is first touched off its start-up path, as soon as the thread
 * runs: no fixed delay, so the CLI and an operator see the MBeans once the thread got its CPU.
 * An operation invoked over JMX does not return before that thread has caught up with what it changed
 * ({@link #settle}): the client that reads right after the answer finds the listener under the name it
 * has now, and no stale name. That wait cannot deadlock: the thread never waits for an operation.
 */
public final class JmxExporter implements RegistryObserver {
    public static final String DOMAIN = "dev.hotbind";
    /** Bounds an operation's wait for the MBeans to reflect it; the thread normally catches up in microseconds. */
    private static final long SETTLE_MILLIS = 5_000;

    private final Registry registry;
    private final ListenerOperations operations;
    private final Drainer drainer;
    private final Auditor auditor;
    private final MpscUnboundedAtomicArrayQueue<Runnable> work = new MpscUnboundedAtomicArrayQueue<>(64);
    private final Map<ListenerRecord, ObjectName> published = new ConcurrentHashMap<>();
    private final Thread thread;
    private final StartupPhases phases;
    private MBeanServer server;

    private JmxExporter(Registry registry, ListenerOperations operations, Drainer drainer, Auditor auditor,
                        StartupPhases phases) {
        this.phases = phases;
        this.registry = registry;
        this.operations = operations;
        this.drainer = drainer;
        this.auditor = auditor;
        this.thread = new Thread(this::run, "hotbind-jmx");
        this.thread.setDaemon(true);
    }

    public static JmxExporter start(Registry registry, LiveOptions options, String version,
                                    ListenerOperations operations, Drainer drainer, Auditor auditor,
                                    BindRetry bindRetry, DiscoveryReport discovery, StartupPhases phases,
                                    Inheritance inheritance) {
        JmxExporter exporter = new JmxExporter(registry, operations, drainer, auditor, phases);
        exporter.submit(() -> phases.time("Agent MBean (on hotbind-jmx)", () -> {
            OpenBean agent = AgentBean.of(registry, options, version, auditor, new ConnectionOperations(registry),
                    drainer, bindRetry, discovery, phases, inheritance);
            agent.afterOperation(exporter::settle);
            exporter.register(AgentBean.NAME, agent);
        }));
        registry.observe(exporter);
        for (ListenerRecord listener : registry.listeners()) {
            exporter.listenerAdded(listener);
        }
        exporter.thread.start();
        return exporter;
    }

    /** Waits, at most {@code timeoutMillis}, until everything submitted so far is registered. */
    public void awaitPublished(long timeoutMillis) {
        CountDownLatch done = new CountDownLatch(1);
        submit(done::countDown);
        try {
            done.await(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * After an operation, before its answer leaves: waits until the registrations it caused are done.
     * Never on the hotbind-jmx thread itself (an operation invoked there would wait for itself).
     */
    private void settle() {
        if (Thread.currentThread() != thread) {
            awaitPublished(SETTLE_MILLIS);
        }
    }

    @Override
    public void listenerAdded(ListenerRecord listener) {
        submit(() -> publish(listener));
    }

    @Override
    public void listenerChanged(ListenerRecord listener) {
        submit(() -> {
            // a state change keeps the name: re-registering would make the MBean vanish for a moment
            if (!ListenerBean.name(listener).equals(published.get(listener))) {
                unpublish(listener);
                publish(listener);
            }
        });
    }

    @Override
    public void listenerRemoved(ListenerRecord listener) {
        submit(() -> unpublish(listener));
    }

    private void publish(ListenerRecord listener) {
        if (listener.state() == ListenerState.CLOSED || published.containsKey(listener)) {
            return;
        }
        ObjectName name = ListenerBean.name(listener);
        OpenBean bean = ListenerBean.of(listener, registry, operations, drainer, auditor);
        bean.afterOperation(this::settle);
        if (register(name, bean)) {
            published.put(listener, name);
        }
    }

    private void unpublish(ListenerRecord listener) {
        ObjectName name = published.remove(listener);
        if (name != null) {
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException alreadyGone) {
                // someone else unregistered it; nothing left to do
            } catch (Exception e) {
                System.err.println("hotbind: could not unregister " + name + ": " + e);
            }
        }
    }

    private boolean register(ObjectName name, Object bean) {
        try {
            server.registerMBean(bean, name);
            return true;
        } catch (Exception e) {
            System.err.println("hotbind: could not register " + name + ": " + e);
            return false;
        }
    }

    private void submit(Runnable task) {
        work.offer(task);
        LockSupport.unpark(thread);
    }

    private void run() {
        // Both cost 100-300 ms of CPU, too much for premain, so they run here first, while the work queued
        // meanwhile waits (nothing the registry saw is lost). JFR's types come before any MBean, so a client
        // that sees hotbind's MBeans finds them in a recording's metadata.
        phases.time("JFR event types (on hotbind-jmx)", ListenerEvents::register);
        phases.time("platform MBeanServer (on hotbind-jmx)", () -> server = ManagementFactory.getPlatformMBeanServer());
        while (true) {
            Runnable task = work.poll();
            if (task == null) {
                LockSupport.parkNanos(this, TimeUnit.SECONDS.toNanos(1));
                continue;
            }
            try {
                task.run();
            } catch (Throwable t) {
                System.err.println("hotbind: JMX publication failed, continuing: " + t);
            }
        }
    }
}
