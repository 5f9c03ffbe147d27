package dev.hotbind.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.Attribute;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * The reads the read commands share: attributes by name (an older agent's missing ones are simply
 * absent), the Agent MBean's tables and table reads as rows, and the listener MBeans there are.
 */
final class MBeanReads {
    static final ObjectName AGENT = name("dev.hotbind:type=Agent");
    private static final ObjectName LISTENERS = name("dev.hotbind:type=Listener,*");

    private final long pid;
    private final MBeanServerConnection jmx;

    /** Call after {@link HotbindMBeans#in}, which says what to do when hotbind is not loaded. */
    MBeanReads(TargetConnection target) throws CliError {
        this.pid = target.pid();
        this.jmx = target.jmx(System.err);
    }

    long pid() {
        return pid;
    }

    /** The named attributes that {@code bean} has; empty when it has gone meanwhile. */
    Map<String, Object> attributes(ObjectName bean, List<String> names) throws CliError {
        Map<String, Object> values = new LinkedHashMap<>();
        try {
            for (Attribute a : jmx.getAttributes(bean, names.toArray(new String[0])).asList()) {
                values.put(a.getName(), a.getValue());
            }
        } catch (InstanceNotFoundException goneMeanwhile) {
            return Map.of();
        } catch (JMException | IOException e) {
            throw CliError.failed("reading " + bean + " in pid " + pid + " failed: " + CliError.rootCause(e));
        }
        return values;
    }

    /** Every attribute of {@code bean}, in the order its MBean declares them. */
    Map<String, Object> allAttributes(ObjectName bean) throws CliError {
        List<String> names = new ArrayList<>();
        try {
            for (MBeanAttributeInfo info : jmx.getMBeanInfo(bean).getAttributes()) {
                names.add(info.getName());
            }
        } catch (JMException | IOException e) {
            throw CliError.failed("reading " + bean + " in pid " + pid + " failed: " + CliError.rootCause(e));
        }
        Map<String, Object> read = attributes(bean, names);
        Map<String, Object> ordered = new LinkedHashMap<>();
        names.stream().filter(read::containsKey).forEach(n -> ordered.put(n, read.get(n)));
        return ordered;
    }

    /** The rows of one of the Agent MBean's tables, in the table's own order. */
    List<CompositeData> agentRows(String attribute) throws CliError {
        Object table = attributes(AGENT, List.of(attribute)).get(attribute);
        if (!(table instanceof TabularData)) {
            throw CliError.failed("the hotbind agent in pid " + pid + " has no attribute " + attribute
                    + "; it is older than this command");
        }
        return rows((TabularData) table);
    }

    /**
     * The rows a table read of {@code bean} answers ({@code connections}, {@code orphanedConnections}):
     * tables that grow with the connections are operations, not attributes, so exporters leave them alone.
     */
    List<CompositeData> readRows(ObjectName bean, String read) throws CliError {
        try {
            return rows((TabularData) jmx.invoke(bean, read, new Object[0], new String[0]));
        } catch (javax.management.ReflectionException e) {
            throw CliError.failed("the hotbind agent in pid " + pid + " has no operation '" + read
                    + "'; it is older than this command");
        } catch (InstanceNotFoundException e) {
            throw CliError.failed(bean + " in pid " + pid + " was closed while we read it");
        } catch (JMException | IOException e) {
            throw CliError.failed(read + " on " + bean + " in pid " + pid + " failed: " + CliError.rootCause(e));
        }
    }

    private static List<CompositeData> rows(TabularData table) {
        List<CompositeData> rows = new ArrayList<>();
        for (Object row : table.values()) {
            rows.add((CompositeData) row);
        }
        return rows;
    }

    List<ObjectName> listeners() throws CliError {
        try {
            return new ArrayList<>(jmx.queryNames(LISTENERS, null));
        } catch (IOException e) {
            throw CliError.failed("listing hotbind's listeners in pid " + pid + " failed: " + CliError.rootCause(e));
        }
    }

    /** Runs one of the Agent MBean's operations that takes a single {@code long}. */
    Object invokeAgent(String operation, long value) throws CliError {
        try {
            return jmx.invoke(AGENT, operation, new Object[] {value}, new String[] {Long.class.getName()});
        } catch (javax.management.MBeanException e) {
            throw OperationAnswer.failure(e);
        } catch (javax.management.ReflectionException e) {
            throw CliError.failed("the hotbind agent in pid " + pid + " has no operation '" + operation
                    + "'; it is older than this command");
        } catch (JMException | IOException e) {
            throw CliError.failed(operation + " in pid " + pid + " failed: " + CliError.rootCause(e));
        }
    }

    /** {@code AcceptQueueDepth} -> {@code acceptQueueDepth}: JSON field names from attribute names. */
    static String field(String attribute) {
        return Character.toLowerCase(attribute.charAt(0)) + attribute.substring(1);
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
