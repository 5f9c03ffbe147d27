package dev.hotbind.jmx;

import dev.hotbind.audit.Auditor;
import dev.hotbind.audit.Finding;
import dev.hotbind.audit.SaturatedListener;
import dev.hotbind.bindretry.BindRetry;
import dev.hotbind.discovery.DiscoveryReport;
import dev.hotbind.drain.DrainedAll;
import dev.hotbind.drain.Drainer;
import dev.hotbind.inherit.Inheritance;
import dev.hotbind.options.LiveOptions;
import dev.hotbind.rebind.ConnectionClosed;
import dev.hotbind.rebind.ConnectionOperations;
import dev.hotbind.rebind.OrphansClosed;
import dev.hotbind.registry.Registry;
import dev.hotbind.startup.StartupPhases;
import java.util.List;
import java.util.function.Supplier;
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
    /** The notification type of a listener whose accept queue was found full: not an orphan, so its own prefix. */
    static final String SATURATED_NOTIFICATION = "dev.hotbind.saturation." + SaturatedListener.KIND;

    static OpenBean of(Registry registry, LiveOptions options, String version, Auditor auditor,
                       ConnectionOperations connections, Drainer drainer, BindRetry bindRetry,
                       Supplier<DiscoveryReport> discovery, StartupPhases phases, Inheritance inheritance) {
        OpenBean bean = new OpenBean(Registry.class.getName(), "hotbind: every listener of this JVM and the connections it accepted")
                .attribute("Version", "hotbind's version", SimpleType.STRING, () -> version)
                .attribute("Options", "the agent options in effect, defaults included; a repeat attach may change them",
                        SimpleType.STRING, () -> options.current().toString())
                .attribute("AttachDiscovery", "what the discovery at the attach found, what it could not read, "
                        + "and how long its walk took", SimpleType.STRING, () -> discovery.get().summary())
                .attribute("AttachDiscoveryMillis", "how long the discovery at the attach took (0: loaded at start-up)",
                        SimpleType.DOUBLE, () -> discovery.get().walkNanos() / 1e6)
                .attribute("StartupPhases", "how long each step of hotbind's start took, in order",
                        ListenerBean.STRINGS, phases::lines)
                .attribute("ListenerCount", "listeners not closed", SimpleType.INTEGER,
                        () -> registry.listeners().size())
                .attribute("OpenConnectionCount", "accepted connections still open", SimpleType.INTEGER,
                        () -> registry.connections().size())
                .attribute("Listeners", "every listener not closed", Views.LISTENERS,
                        () -> Views.listeners(registry.listeners()))
                .attribute("RecentlyClosedListeners", "the latest listeners that were closed", Views.LISTENERS,
                        () -> Views.listeners(registry.recentlyClosedListeners()))
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
                .attribute("OrphanedConnectionCount", "rows of orphanedConnections()", SimpleType.INTEGER,
                        () -> auditor.report().connectionsNow().size())
                .attribute("UnmanagedListeners", "listening sockets of this process hotbind has not seen (opened "
                        + "natively, or bound before the attach and not accepted on since)", AuditViews.UNMANAGED,
                        () -> AuditViews.unmanaged(auditor.report().unmanaged()))
                .attribute("UnmanagedListenerCount", "rows of UnmanagedListeners", SimpleType.INTEGER,
                        () -> auditor.report().unmanaged().size())
                .attribute("SaturatedListeners", "listeners whose accept queue an audit found full (the kernel "
                        + "then drops new handshakes) within the last minute, or ten audit intervals if longer",
                        AuditViews.SATURATED, () -> AuditViews.saturated(auditor.report().saturated()))
                .attribute("SaturatedListenerCount", "rows of SaturatedListeners", SimpleType.INTEGER,
                        () -> auditor.report().saturated().size())
                .attribute("ListenOverflows", "the network namespace's TcpExt ListenOverflows at the latest audit: "
                        + "connections dropped because a listener's accept queue was full, of every process in the "
                        + "namespace (-1: unknown)", SimpleType.LONG,
                        () -> auditor.report().listenCounters().overflows())
                .attribute("ListenDrops", "the namespace's TcpExt ListenDrops at the latest audit: every drop at a "
                        + "listener, overflows included (-1: unknown)", SimpleType.LONG,
                        () -> auditor.report().listenCounters().drops())
                .attribute("AuditCount", "orphan audits run so far", SimpleType.LONG, () -> auditor.report().number())
                .attribute("LastAuditAt", "when the latest orphan audit ran", SimpleType.STRING,
                        () -> auditor.report().number() == 0 ? "not yet" : Views.time(auditor.report().atMillis()))
                .attribute("BindRetries", "application binds run again by the bindRetry option after "
                        + "'Address already in use', on every address", SimpleType.LONG, bindRetry::retries)
                .attribute("BindRetriesByAddress", "per address the application bound while it was in use: how "
                        + "often its binds waited, were run again, and how the waits ended", BindRetryViews.ADDRESSES,
                        () -> BindRetryViews.addresses(bindRetry.addresses()))
                .attribute("InheritedSockets", "the listening sockets this process was given (agent option "
                        + "inherit), each with the listener it is under or why it is under none",
                        ListenerBean.STRINGS, () -> inheritance == null ? new String[0]
                                : inheritance.describe().toArray(new String[0]))
                .attribute("UnmatchedInheritedSockets", "inherited sockets no open listener has, with the reason: "
                        + "unusable, or no application bind matched it (yet)", ListenerBean.STRINGS,
                        () -> inheritance == null ? new String[0] : inheritance.unmatched().toArray(new String[0]))
                .attribute("KernelView", "where queue depths, TCP states and unmanaged listeners come from",
                        SimpleType.STRING, () -> auditor.kernel().description())
                // tables that grow with the connections are reads, not attributes: see OpenBean.read
                .read("connections", "Every accepted connection still open (OpenConnectionCount counts them)",
                        Views.CONNECTIONS, () -> Views.connections(registry.connections()))
                .read("recentlyEndedConnections", "The latest connections that ended, and how", Views.CONNECTIONS,
                        () -> Views.connections(registry.recentlyEndedConnections()))
                .read("orphanedConnections", "Connections open after their listener closed, left in CLOSE_WAIT, "
                        + "or garbage-collected unclosed (OrphanedConnectionCount counts them)", AuditViews.CONNECTIONS,
                        () -> AuditViews.connections(auditor.report().connectionsNow()))
                .operation("closeConnection", "Close one accepted connection through the application's own socket, "
                        + "as its close() would", ConnectionClosed.class,
                        List.of(new OpenBean.Param("id", "the connection's id, from connections() or orphanedConnections()",
                                SimpleType.LONG)),
                        args -> connections.close(OpenBean.whole(args[0], "id")))
                .operation("closeOrphanedConnections", "Close every connection orphanedConnections() lists that is "
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
                        ORPHAN_NOTIFICATION + "orphanedConnection", ORPHAN_NOTIFICATION + "unmanagedListener")
                .notifications("a listener's accept queue was found full for the first time (again after a quiet "
                        + "minute); the message says where and what to do, the user data is its key",
                        SATURATED_NOTIFICATION);
        bean.source(NAME);
        auditor.onNewFinding((Finding f) -> bean.emit(f instanceof SaturatedListener ? SATURATED_NOTIFICATION
                : ORPHAN_NOTIFICATION + f.kind(), f.summary(), f.key()));
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
