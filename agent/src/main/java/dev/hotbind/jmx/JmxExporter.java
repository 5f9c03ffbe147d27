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
import java.util.function.Supplier;
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

    private final MpscUnboundedAtomicArrayQueue<Runnable> work = new MpscUnboundedAtomicArrayQueue<>(64);
    private final Map<ListenerRecord, ObjectName> published = new ConcurrentHashMap<>();
    private final Thread thread;
    private final StartupPhases phases;
    private MBeanServer server;
    /** What a listener's MBean needs; set by {@link #publish} before it queues the first task that reads it. */
    private volatile Wiring wiring;

    private record Wiring(Registry registry, ListenerOperations operations, Drainer drainer, Auditor auditor) {
    }

    private JmxExporter(StartupPhases phases) {
        this.phases = phases;
        this.thread = new Thread(this::run, "hotbind-jmx");
        this.thread.setDaemon(true);
    }

    /** An exporter whose thread starts with {@link #startEarly} or, at the latest, {@link #publish}. */
    public static JmxExporter create(StartupPhases phases) {
        return new JmxExporter(phases);
    }

    /**
     * Starts the {@code hotbind-jmx} thread now, for an attach: the platform MBeanServer (100-300 ms of CPU)
     * is then made while the agent still weaves and discovers on its own thread, instead of after them while
     * the attach waits for the MBeans. Not at {@code premain}: a JVM that ends soon would pay for it, and
     * premain's own steps would share the cores with it. Nothing is published before {@link #publish}.
     */
    public void startEarly() {
        thread.start();
    }

    /**
     * Publishes the Agent MBean and every listener, those the registry has and those it gets from now on;
     * what an attach's discovery finds afterwards, the registry does not announce: see {@link #publishListeners}.
     */
    public void publish(Registry registry, LiveOptions options, String version, ListenerOperations operations,
                        Drainer drainer, Auditor auditor, BindRetry bindRetry, Supplier<DiscoveryReport> discovery,
                        Inheritance inheritance) {
        this.wiring = new Wiring(registry, operations, drainer, auditor);
        submit(() -> phases.time("Agent MBean (on hotbind-jmx)", () -> {
            OpenBean agent = AgentBean.of(registry, options, version, auditor, new ConnectionOperations(registry),
                    drainer, bindRetry, discovery, phases, inheritance);
            agent.afterOperation(this::settle);
            register(AgentBean.NAME, agent);
        }));
        registry.observe(this);
        publishListeners();
        if (thread.getState() == Thread.State.NEW) {
            thread.start();
        }
    }

    /** Publishes every listener the registry has that is not yet published, e.g. those an attach discovered. */
    public void publishListeners() {
        for (ListenerRecord listener : wiring.registry().listeners()) {
            listenerAdded(listener);
        }
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
        Wiring w = wiring;
        OpenBean bean = ListenerBean.of(listener, w.registry(), w.operations(), w.drainer(), w.auditor());
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
        // Off premain and off the attach's own thread; the work queued meanwhile waits (nothing the registry
        // saw is lost). JFR's types are registered (at once if a recording runs, else when one starts) before
        // any MBean, so a client that sees hotbind's MBeans finds them in a recording's metadata.
        phases.time("platform MBeanServer (on hotbind-jmx)", () -> server = ManagementFactory.getPlatformMBeanServer());
        phases.time("JFR event types or their registration at a recorder's start (on hotbind-jmx)",
                ListenerEvents::registerWhenRecording);
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
