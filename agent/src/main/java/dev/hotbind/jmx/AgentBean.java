package dev.hotbind.jmx;

import dev.hotbind.audit.Auditor;
import dev.hotbind.audit.Finding;
import dev.hotbind.discovery.DiscoveryReport;
import dev.hotbind.drain.DrainedAll;
import dev.hotbind.drain.Drainer;
import dev.hotbind.options.LiveOptions;
import dev.hotbind.rebind.ConnectionClosed;
import dev.hotbind.rebind.ConnectionOperations;
import dev.hotbind.rebind.OrphansClosed;
import dev.hotbind.registry.Registry;
import dev.hotbind.startup.StartupPhases;
import java.util.List;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.SimpleType;

/** The overview MBean, {@code dev.hotbind:type=Agent}. */
final class AgentBean {
    static final ObjectName NAME = name();

    private AgentBean() {
    }

    /** Prefix of the notification types; the finding's kind follows, e.g. {@code dev.hotbind.orphan.orphanedListener}. */
    static final String ORPHAN_NOTIFICATION = "dev.hotbind.orphan.";

    static OpenBean of(Registry registry, LiveOptions options, String version, Auditor auditor,
                       ConnectionOperations connections, Drainer drainer, DiscoveryReport discovery,
                       StartupPhases phases) {
        OpenBean bean = new OpenBean(Registry.class.getName(), "hotbind: every listener of this JVM and the connections it accepted")
                .attribute("Version", "hotbind's version", SimpleType.STRING, () -> version)
                .attribute("Options", "the agent options in effect, defaults included; a repeat attach may change them",
                        SimpleType.STRING, () -> options.current().toString())
                .attribute("AttachDiscovery", "what the discovery at the attach found, what it could not read, "
                        + "and how long its walk took", SimpleType.STRING, discovery::summary)
                .attribute("AttachDiscoveryMillis", "how long the discovery at the attach took (0: loaded at start-up)",
                        SimpleType.DOUBLE, () -> discovery.walkNanos() / 1e6)
                .attribute("StartupPhases", "how long each step of hotbind's start took, in order",
                        ListenerBean.STRINGS, phases::lines)
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
                        Views.CONNECTIONS, () -> Views.connections(registry.recentlyEndedConnections()))
                .attribute("OrphanedAcceptThreads", "threads still calling accept on a closed listener, or blocked "
                        + "in accept on one", AuditViews.ACCEPT_THREADS,
                        () -> AuditViews.acceptThreads(auditor.report().acceptThreads()))
                .attribute("OrphanedAcceptThreadCount", "rows of OrphanedAcceptThreads", SimpleType.INTEGER,
                        () -> auditor.report().acceptThreads().size())
                .attribute("OrphanedListeners", "bound listeners nobody accepts from: connections stuck in the "
                        + "accept queue, or the accepting thread died", AuditViews.LISTENERS,
                        () -> AuditViews.listeners(auditor.report().listeners()))
                .attribute("OrphanedListenerCount", "rows of OrphanedListeners", SimpleType.INTEGER,
                        () -> auditor.report().listeners().size())
                .attribute("OrphanedConnections", "connections open after their listener closed, left in "
                        + "CLOSE_WAIT, or garbage-collected unclosed", AuditViews.CONNECTIONS,
                        () -> AuditViews.connections(auditor.report().connectionsNow()))
                .attribute("OrphanedConnectionCount", "rows of OrphanedConnections", SimpleType.INTEGER,
                        () -> auditor.report().connectionsNow().size())
                .attribute("UnmanagedListeners", "listening sockets of this process hotbind has not seen (opened "
                        + "natively, or bound before the attach and not accepted on since)", AuditViews.UNMANAGED,
                        () -> AuditViews.unmanaged(auditor.report().unmanaged()))
                .attribute("UnmanagedListenerCount", "rows of UnmanagedListeners", SimpleType.INTEGER,
                        () -> auditor.report().unmanaged().size())
                .attribute("AuditCount", "orphan audits run so far", SimpleType.LONG, () -> auditor.report().number())
                .attribute("LastAuditAt", "when the latest orphan audit ran", SimpleType.STRING,
                        () -> auditor.report().number() == 0 ? "not yet" : Views.time(auditor.report().atMillis()))
                .attribute("KernelView", "where queue depths, TCP states and unmanaged listeners come from",
                        SimpleType.STRING, () -> auditor.kernel().description())
                .operation("closeConnection", "Close one accepted connection through the application's own socket, "
                        + "as its close() would", ConnectionClosed.class,
                        List.of(new OpenBean.Param("id", "the connection's id, from Connections or OrphanedConnections",
                                SimpleType.LONG)),
                        args -> connections.close(OpenBean.whole(args[0], "id")))
                .operation("closeOrphanedConnections", "Close every connection OrphanedConnections lists that is "
                        + "still open, and no other", OrphansClosed.class, List.of(),
                        args -> connections.closeAll(auditor.report().connectionsNow()))
                .operation("drainAll", "Drain every listener at once within one timeout, as drain() does for one; "
                        + "the JVM's own JMX connector is left alone. Answers each listener's figures, the totals, "
                        + "and one summary line per listener", DrainedAll.class,
                        List.of(new OpenBean.Param("timeoutMillis", "how long to wait for the application to close its "
                                + "connections before force-closing them, 1 to 86400000 ms (0 is refused: JConsole "
                                + "pre-fills it)", SimpleType.LONG)),
                        args -> drainer.drainAll(OpenBean.whole(args[0], "timeoutMillis")))
                .notifications("an orphan was found for the first time; the message says what, the user data is its key",
                        ORPHAN_NOTIFICATION + "orphanedAcceptThread", ORPHAN_NOTIFICATION + "orphanedListener",
                        ORPHAN_NOTIFICATION + "orphanedConnection", ORPHAN_NOTIFICATION + "unmanagedListener");
        bean.source(NAME);
        auditor.onNewFinding((Finding f) -> bean.emit(ORPHAN_NOTIFICATION + f.kind(), f.summary(), f.key()));
        return bean;
    }

    private static ObjectName name() {
        try {
            return new ObjectName(JmxExporter.DOMAIN + ":type=Agent");
        } catch (MalformedObjectNameException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
