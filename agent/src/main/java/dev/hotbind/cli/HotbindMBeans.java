package dev.hotbind.cli;

import dev.hotbind.entry.HotbindAgent;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/** hotbind's MBeans in one target JVM, seen from the command line over JMX. */
final class HotbindMBeans {
    private static final ObjectName AGENT = name("dev.hotbind:type=Agent");
    private static final ObjectName LISTENERS = name("dev.hotbind:type=Listener,*");
    private static final Duration REGISTRATION_WAIT = Duration.ofSeconds(10);
    /** How long a target whose JMX connection broke gets to show it is exiting. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

    private final long pid;
    private final MBeanServerConnection jmx;
    private final String version;

    private HotbindMBeans(long pid, MBeanServerConnection jmx, String version) {
        this.pid = pid;
        this.jmx = jmx;
        this.version = version;
    }

    /**
     * hotbind in {@code target}, or a failure telling how to load it there. Whether hotbind runs is read
     * from the target's system properties through the Attach API first: a JVM without hotbind gets no
     * JMX connector started on our account (the JDK keeps one open, on every interface, until it exits).
     */
    static HotbindMBeans in(TargetConnection target) throws CliError {
        return in(target, System.err);
    }

    /** As {@link #in(TargetConnection)}, telling {@code notices} when the JDK's local connector is started. */
    static HotbindMBeans in(TargetConnection target, PrintStream notices) throws CliError {
        String loaded = target.systemProperties().getProperty(HotbindAgent.LOADED_PROPERTY);
        if (loaded == null) {
            throw CliError.failed("hotbind is not loaded in pid " + target.pid()
                    + "; load it with: java -jar hotbind-agent.jar attach " + target.pid());
        }
        MBeanServerConnection jmx = target.jmx(notices);
        try {
            return new HotbindMBeans(target.pid(), jmx, awaitVersion(target, jmx, loaded));
        } catch (JMException | IOException e) {
            throw CliError.failed("reading hotbind's Agent MBean in pid " + target.pid() + " failed: "
                    + CliError.rootCause(e));
        }
    }

    /**
     * The Agent MBean's version. The agent registers its MBeans on its own thread, shortly after it
     * starts: right after a JVM start they may not be there yet, so a loaded agent gets a bounded wait.
     * One read per try, not a look-up then a read: each is a round trip to the target.
     */
    private static String awaitVersion(TargetConnection target, MBeanServerConnection jmx, String loaded)
            throws JMException, IOException, CliError {
        long deadline = System.nanoTime() + REGISTRATION_WAIT.toNanos();
        while (true) {
            try {
                return (String) jmx.getAttribute(AGENT, "Version");
            } catch (InstanceNotFoundException notYet) {
                if (System.nanoTime() > deadline) {
                    throw CliError.failed("hotbind " + loaded + " runs in pid " + target.pid() + " but has not"
                            + " registered its MBeans within " + REGISTRATION_WAIT.toSeconds() + " s (see its stderr)");
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw CliError.failed("interrupted while waiting for hotbind's MBeans in pid " + target.pid());
            }
        }
    }

    String version() {
        return version;
    }

    /** Rows of one of the Agent MBean's tables ({@code Listeners}), ordered by id. */
    List<CompositeData> agentTable(String attribute) throws CliError {
        TabularData table;
        try {
            table = (TabularData) jmx.getAttribute(AGENT, attribute);
        } catch (JMException | IOException e) {
            throw failed("reading " + attribute, "reading " + attribute + " from pid " + pid + " failed", e);
        }
        List<CompositeData> rows = new ArrayList<>();
        for (Object row : table.values()) {
            rows.add((CompositeData) row);
        }
        rows.sort(Comparator.comparingLong(r -> (Long) r.get("id")));
        return rows;
    }

    /** The MBean of listener {@code id}, by its {@code id} key, or a failure that lists the listeners there are. */
    ObjectName listener(long id) throws CliError {
        try {
            Set<ObjectName> names = jmx.queryNames(name("dev.hotbind:type=Listener,id=" + id + ",*"), null);
            if (!names.isEmpty()) {
                return names.iterator().next();
            }
        } catch (IOException e) {
            throw failed("the look-up of listener #" + id, "looking up listener #" + id + " in pid " + pid + " failed",
                    e);
        }
        StringJoiner known = new StringJoiner(", ");
        for (CompositeData row : agentTable("Listeners")) {
            known.add("#" + row.get("id") + " " + row.get("address"));
        }
        throw CliError.failed("no listener #" + id + " in pid " + pid + "; listeners: "
                + (known.length() == 0 ? "none" : known));
    }

    /**
     * Invokes {@code operation} on a listener by name, so operations newer than this command work and
     * older agents get a clear answer; returns the operation's answer (see {@link OperationAnswer}).
     */
    Object invoke(long id, String operation, Object... params) throws CliError {
        ObjectName listener = listener(id);
        try {
            MBeanOperationInfo op = operation(listener, operation, params.length);
            String[] signature = new String[params.length];
            for (int i = 0; i < params.length; i++) {
                signature[i] = op.getSignature()[i].getType();
            }
            return jmx.invoke(listener, operation, params, signature);
        } catch (MBeanException e) {
            throw OperationAnswer.failure(e);
        } catch (InstanceNotFoundException e) {
            throw CliError.failed("listener #" + id + " in pid " + pid + " was closed before " + operation + " ran");
        } catch (JMException | IOException e) {
            throw failed("the " + operation, operation + " on listener #" + id + " in pid " + pid + " failed", e);
        }
    }

    /**
     * The failure of a JMX call: when the connection broke because the target exited meanwhile, that
     * is what the operator needs to hear ("pid 42 exited during the drain"), not the EOFException.
     */
    private CliError failed(String during, String failed, Exception e) {
        if (e instanceof IOException && exits(pid)) {
            return CliError.failed("pid " + pid + " exited during " + during + " (" + CliError.rootCause(e) + ")");
        }
        return CliError.failed(failed + ": " + CliError.rootCause(e));
    }

    /** Whether {@code pid} has ended or ends within a moment: a JVM running its shutdown hooks still lives. */
    private static boolean exits(long pid) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty()) {
            return true;
        }
        try {
            process.get().onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.get().isAlive();
        } catch (ExecutionException neverForOnExit) {
            return !process.get().isAlive();
        }
    }

    private MBeanOperationInfo operation(ObjectName listener, String operation, int arity)
            throws JMException, IOException, CliError {
        StringJoiner known = new StringJoiner(", ");
        for (MBeanOperationInfo op : jmx.getMBeanInfo(listener).getOperations()) {
            if (op.getName().equals(operation) && op.getSignature().length == arity) {
                return op;
            }
            known.add(op.getName());
        }
        throw CliError.failed("the hotbind agent in pid " + pid + " (version " + version + ") has no operation '"
                + operation + "' with " + arity + " parameter(s); it is older than this command. Its operations: "
                + known);
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
