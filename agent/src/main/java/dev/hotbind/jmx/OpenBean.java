package dev.hotbind.jmx;

import dev.hotbind.answer.Answer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanException;
import javax.management.ListenerNotFoundException;
import javax.management.MBeanInfo;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanOperationInfo;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.NotificationEmitter;
import javax.management.NotificationFilter;
import javax.management.NotificationListener;
import javax.management.ReflectionException;
import javax.management.openmbean.OpenMBeanAttributeInfoSupport;
import javax.management.openmbean.OpenMBeanConstructorInfoSupport;
import javax.management.openmbean.OpenMBeanInfoSupport;
import javax.management.openmbean.OpenMBeanOperationInfoSupport;
import javax.management.openmbean.OpenMBeanParameterInfoSupport;
import javax.management.openmbean.OpenType;

/**
 * A read-only open MBean assembled from getters and operations, each with a description and real
 * parameter names, so JConsole, jmx_exporter and Jolokia show the same self-explaining model. It can
 * emit the notifications it declares; JConsole lists them under "Notifications".
 */
final class OpenBean implements DynamicMBean, NotificationEmitter {
    private final String className;
    private final String description;
    private final Map<String, Attr> attributes = new LinkedHashMap<>();
    private final Map<String, Op> operations = new LinkedHashMap<>();
    private final List<MBeanNotificationInfo> notifications = new ArrayList<>();
    private final NotificationBroadcasterSupport broadcaster = new NotificationBroadcasterSupport();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Object source = this;
    private volatile Runnable afterOperation = () -> { };
    private volatile MBeanInfo info;

    private record Attr(OpenMBeanAttributeInfoSupport info, Supplier<?> getter) {
    }

    /** {@code body} answers open data: an action's answer already converted, or a read's table. */
    private record Op(OpenMBeanOperationInfoSupport info, Function<Object[], ?> body) {
        boolean isAction() {
            return info.getImpact() == MBeanOperationInfo.ACTION;
        }
    }

    /** An operation's parameter: its name and description as JConsole shows them. */
    record Param(String name, String description, OpenType<?> type) {
    }

    OpenBean(String className, String description) {
        this.className = className;
        this.description = description;
    }

    OpenBean attribute(String name, String description, OpenType<?> type, Supplier<?> getter) {
        attributes.put(name, new Attr(new OpenMBeanAttributeInfoSupport(name, description, type, true, false,
                false), getter));
        return this;
    }

    /** An action; it answers with the figures of what it did and a summary, as {@link Answers} describes. */
    OpenBean operation(String name, String description, Class<? extends Answer> answer, List<Param> params,
                       Function<Object[], ? extends Answer> body) {
        List<OpenMBeanParameterInfoSupport> signature = new ArrayList<>();
        for (Param p : params) {
            signature.add(new OpenMBeanParameterInfoSupport(p.name(), p.description(), p.type()));
        }
        operations.put(name, new Op(new OpenMBeanOperationInfoSupport(name, description,
                signature.toArray(new OpenMBeanParameterInfoSupport[0]), Answers.type(answer),
                MBeanOperationInfo.ACTION),
                args -> Answers.of(body.apply(args))));
        return this;
    }

    /**
     * A read that changes nothing (impact INFO), for data that grows with the connections: as an attribute,
     * exporters that read every attribute (jmx_exporter's default rules) would turn each row into series.
     */
    OpenBean read(String name, String description, OpenType<?> returns, Supplier<?> body) {
        operations.put(name, new Op(new OpenMBeanOperationInfoSupport(name, description,
                new OpenMBeanParameterInfoSupport[0], returns, MBeanOperationInfo.INFO), args -> body.get()));
        return this;
    }

    /**
     * A {@code long} parameter as a client sent it: JConsole sends the field it pre-fills with 0 as an
     * Integer whatever the declared type, so any whole number is taken; anything else is a bad argument.
     */
    static long whole(Object value, String name) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw new IllegalArgumentException(name + " must be a whole number; got " + value);
    }

    /** Declares notifications of {@code types}, all carrying a {@link Notification}. */
    OpenBean notifications(String description, String... types) {
        notifications.add(new MBeanNotificationInfo(types, Notification.class.getName(), description));
        return this;
    }

    /** Sends a declared notification to every JMX listener, with {@code userData} as open data or a String. */
    void emit(String type, String message, Object userData) {
        Notification n = new Notification(type, source, sequence.incrementAndGet(), System.currentTimeMillis(),
                message);
        n.setUserData(userData);
        broadcaster.sendNotification(n);
    }

    /**
     * Runs after every operation, before its answer is returned: the exporter waits there until the
     * MBeans reflect what the operation did, so a client that reads right after the answer sees it.
     */
    void afterOperation(Runnable settle) {
        afterOperation = settle;
    }

    /** Notifications name their MBean: the ObjectName it was registered under. */
    void source(Object name) {
        source = name;
    }

    @Override
    public void addNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback) {
        broadcaster.addNotificationListener(listener, filter, handback);
    }

    @Override
    public void removeNotificationListener(NotificationListener listener) throws ListenerNotFoundException {
        broadcaster.removeNotificationListener(listener);
    }

    @Override
    public void removeNotificationListener(NotificationListener listener, NotificationFilter filter, Object handback)
            throws ListenerNotFoundException {
        broadcaster.removeNotificationListener(listener, filter, handback);
    }

    @Override
    public MBeanNotificationInfo[] getNotificationInfo() {
        return notifications.toArray(new MBeanNotificationInfo[0]);
    }

    @Override
    public Object getAttribute(String name) throws AttributeNotFoundException, MBeanException {
        Attr attr = attributes.get(name);
        if (attr == null) {
            throw new AttributeNotFoundException("no attribute " + name + "; known: " + attributes.keySet());
        }
        try {
            return attr.getter().get();
        } catch (RuntimeException e) {
            throw new MBeanException(e, "reading " + name + " failed: " + e);
        }
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException(attribute.getName() + " is read-only");
    }

    @Override
    public AttributeList getAttributes(String[] names) {
        AttributeList list = new AttributeList();
        for (String name : names) {
            try {
                list.add(new Attribute(name, getAttribute(name)));
            } catch (Exception skipped) {
                // JMX semantics: attributes that cannot be read are left out of the list
            }
        }
        return list;
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String name, Object[] params, String[] signature) throws MBeanException, ReflectionException {
        Op op = operations.get(name);
        int expected = op == null ? -1 : op.info().getSignature().length;
        Object[] args = params == null ? new Object[0] : params;
        if (op == null || args.length != expected) {
            throw new ReflectionException(new NoSuchMethodException(name + " with " + args.length
                    + " parameters; operations: " + operations.keySet()));
        }
        try {
            return op.body().apply(args);
        } catch (IllegalArgumentException e) {
            // the operator's mistake (a bad argument): fresh JDK exceptions, which any client can deserialize
            throw new MBeanException(new IllegalArgumentException(e.getMessage()), e.getMessage());
        } catch (IllegalStateException e) {
            // refused: the listener's state, the JVM's own JMX connector, a closed listener, a failed bind
            throw new MBeanException(new IllegalStateException(e.getMessage()), e.getMessage());
        } catch (RuntimeException e) {
            throw new MBeanException(new RuntimeException(e.toString()), name + " failed: " + e);
        } finally {
            if (op.isAction()) {
                afterOperation.run();
            }
        }
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        MBeanInfo built = info;
        if (built == null) {
            built = new OpenMBeanInfoSupport(className, description,
                    attributes.values().stream().map(Attr::info).toArray(OpenMBeanAttributeInfoSupport[]::new),
                    new OpenMBeanConstructorInfoSupport[0],
                    operations.values().stream().map(Op::info).toArray(OpenMBeanOperationInfoSupport[]::new),
                    getNotificationInfo());
            info = built;
        }
        return built;
    }
}
