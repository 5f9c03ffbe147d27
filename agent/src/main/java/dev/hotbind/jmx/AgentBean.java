package dev.hotbind.jmx;

import dev.hotbind.options.AgentOptions;
import dev.hotbind.registry.Registry;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.SimpleType;

/** The overview MBean, {@code dev.hotbind:type=Agent}. */
final class AgentBean {
    static final ObjectName NAME = name();

    private AgentBean() {
    }

    static OpenBean of(Registry registry, AgentOptions options, String version) {
        return new OpenBean(Registry.class.getName(), "hotbind: every listener of this JVM and the connections it accepted")
                .attribute("Version", "hotbind's version", SimpleType.STRING, () -> version)
                .attribute("Options", "the agent options in effect, defaults included", SimpleType.STRING,
                        options::toString)
                .attribute("ListenerCount", "listeners not closed", SimpleType.INTEGER,
                        () -> registry.listeners().size())
                .attribute("OpenConnectionCount", "accepted connections still open", SimpleType.INTEGER,
                        () -> registry.connections().size())
                .attribute("Listeners", "every listener not closed", Views.LISTENERS,
                        () -> Views.listeners(registry.listeners()))
                .attribute("Connections", "every accepted connection still open", Views.CONNECTIONS,
                        () -> Views.connections(registry.connections()))
                .attribute("RecentlyClosedListeners", "the latest listeners that were closed", Views.LISTENERS,
                        () -> Views.listeners(registry.recentlyClosedListeners()))
                .attribute("RecentlyEndedConnections", "the latest connections that ended, and how",
                        Views.CONNECTIONS, () -> Views.connections(registry.recentlyEndedConnections()));
    }

    private static ObjectName name() {
        try {
            return new ObjectName(JmxExporter.DOMAIN + ":type=Agent");
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
