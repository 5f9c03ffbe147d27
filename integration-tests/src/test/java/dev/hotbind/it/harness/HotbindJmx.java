package dev.hotbind.it.harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/** hotbind's MBeans in a target JVM, read over a real JMX connection. */
public final class HotbindJmx {
    public static final String AGENT = "dev.hotbind:type=Agent";
    public static final String LISTENERS = "dev.hotbind:type=Listener,*";

    private final MBeanServerConnection jmx;

    HotbindJmx(MBeanServerConnection jmx) {
        this.jmx = jmx;
    }

    public MBeanServerConnection connection() {
        return jmx;
    }

    public Set<ObjectName> listenerNames() {
        try {
            return jmx.queryNames(new ObjectName(LISTENERS), null);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The listener MBean on {@code port}, or null while there is none. */
    public ObjectName listenerOnPort(int port) {
        for (ObjectName name : listenerNames()) {
            if (Integer.valueOf(port).equals(attribute(name, "LocalPort"))) {
                return name;
            }
        }
        return null;
    }

    /**
     * The listener MBean of listener {@code id}, whatever its address now, by its {@code id} key as a script
     * finds it ({@code dev.hotbind:type=Listener,id=<id>,*}), or null while there is none.
     */
    public ObjectName listenerById(long id) {
        try {
            Set<ObjectName> names = jmx.queryNames(new ObjectName("dev.hotbind:type=Listener,id=" + id + ",*"), null);
            if (names.size() > 1) {
                throw new AssertionError("more than one MBean for listener #" + id + ": " + names);
            }
            return names.isEmpty() ? null : names.iterator().next();
        } catch (IOException | javax.management.MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The listener MBean on {@code port} as a test in {@code mode} must find it: after an attach it is
     * there when the attach returns, with no traffic (so it is not waited for); with -javaagent the
     * agent's JMX thread publishes it a moment after the bind.
     */
    public ObjectName listenerOnPort(int port, TargetJvm.Mode mode) {
        if (mode != TargetJvm.Mode.ATTACH) {
            return awaitListenerOnPort(port);
        }
        ObjectName name = listenerOnPort(port);
        if (name == null) {
            throw new AssertionError("no listener MBean on port " + port + " when the attach returned; have "
                    + listenerNames());
        }
        return name;
    }

    public ObjectName awaitListenerOnPort(int port) {
        return Poll.value("a dev.hotbind Listener MBean on port " + port, () -> listenerOnPort(port));
    }

    public Object attribute(ObjectName name, String attribute) {
        try {
            return jmx.getAttribute(name, attribute);
        } catch (javax.management.InstanceNotFoundException gone) {
            return null;
        } catch (Exception e) {
            throw new AssertionError("reading " + attribute + " of " + name, e);
        }
    }

    public Object agent(String attribute) {
        try {
            return attribute(new ObjectName(AGENT), attribute);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Invokes an operation and answers its result: typed fields and a {@code summary}. A refusal surfaces
     * as the {@link javax.management.MBeanException} JMX gives, carrying an IllegalStateException (refused)
     * or an IllegalArgumentException (bad argument) with hotbind's message.
     */
    public CompositeData invoke(ObjectName name, String operation, Object[] params, String[] signature)
            throws Exception {
        return (CompositeData) jmx.invoke(name, operation, params, signature);
    }

    public CompositeData invoke(ObjectName name, String operation) throws Exception {
        return invoke(name, operation, new Object[0], new String[0]);
    }

    /** The rows of a TabularData attribute of the Agent MBean. */
    public List<CompositeData> agentRows(String attribute) {
        TabularData table = (TabularData) agent(attribute);
        List<CompositeData> rows = new ArrayList<>();
        if (table != null) {
            for (Object row : table.values()) {
                rows.add((CompositeData) row);
            }
        }
        return rows;
    }

    /**
     * The rows of a table read ({@code connections}, {@code recentlyEndedConnections}, {@code orphanedConnections}):
     * tables that grow with the connections are operations, so exporters reading every attribute leave them
     * alone. Empty when the MBean has gone.
     */
    public List<CompositeData> rows(ObjectName bean, String read) {
        TabularData table;
        try {
            table = (TabularData) jmx.invoke(bean, read, new Object[0], new String[0]);
        } catch (javax.management.InstanceNotFoundException gone) {
            return List.of();
        } catch (Exception e) {
            throw new AssertionError("reading " + read + "() of " + bean, e);
        }
        List<CompositeData> rows = new ArrayList<>();
        for (Object row : table.values()) {
            rows.add((CompositeData) row);
        }
        return rows;
    }

    /** The rows of one of the Agent MBean's table reads, as {@link #rows(ObjectName, String)}. */
    public List<CompositeData> agentRead(String read) {
        try {
            return rows(new ObjectName(AGENT), read);
        } catch (javax.management.MalformedObjectNameException e) {
            throw new AssertionError(e);
        }
    }

    public static boolean isRegistered(MBeanServerConnection jmx, ObjectName name) {
        try {
            return jmx.isRegistered(name);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
