package dev.hotbind.jmx;

import dev.hotbind.audit.OrphanedAcceptThread;
import dev.hotbind.audit.OrphanedConnection;
import dev.hotbind.audit.OrphanedListener;
import dev.hotbind.audit.SaturatedListener;
import dev.hotbind.audit.UnmanagedListener;
import dev.hotbind.registry.ConnectionRecord;
import java.util.List;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;

/** The audit's findings as open data: one row per orphan, columns an operator can read. */
final class AuditViews {
    private static final String UNKNOWN_IS_MINUS_ONE = " (-1: the kernel view is not available)";

    private static final String[] THREAD_COLUMNS = {"threadId", "listenerId", "thread", "threadState",
        "listenerAddress", "reason", "failedCalls", "failuresPerSecond", "since", "stackTrace"};
    private static final String[] LISTENER_COLUMNS = {"listenerId", "address", "reason", "acceptQueueDepth",
        "backlog", "lastAcceptThread", "lastAcceptAt", "since"};
    private static final String[] CONNECTION_COLUMNS = {"id", "listenerId", "listenerAddress", "remoteAddress",
        "localAddress", "acceptThread", "acceptedAt", "ageMillis", "kernelState", "state", "reason", "since"};
    private static final String[] SATURATED_COLUMNS = {"listenerId", "address", "since", "lastSeenFull",
        "timesSeenFull", "acceptQueueDepth", "backlog", "listenOverflows", "suggestion"};
    private static final String[] UNMANAGED_COLUMNS = {"inode", "fd", "address", "acceptQueueDepth", "reason"};

    static final TabularType ACCEPT_THREADS = Views.table("OrphanedAcceptThreads",
            "threads still calling accept on a closed listener", new String[] {"threadId", "listenerId"},
            THREAD_COLUMNS, new String[] {"the thread's id", "id of the closed listener", "the thread's name",
                "the thread's state at the audit", "the closed listener's address", "why it is an orphan",
                "accept calls that failed since the listener closed", "failed calls per second since the last audit",
                "when the listener was closed", "the thread's stack at the audit, innermost frame first"},
            new OpenType<?>[] {SimpleType.LONG, SimpleType.LONG, SimpleType.STRING, SimpleType.STRING,
                SimpleType.STRING, SimpleType.STRING, SimpleType.LONG, SimpleType.DOUBLE, SimpleType.STRING,
                SimpleType.STRING});

    static final TabularType LISTENERS = Views.table("OrphanedListeners", "bound listeners nobody accepts from",
            new String[] {"listenerId"}, LISTENER_COLUMNS, new String[] {"listener id", "host:port",
                "why it is an orphan", "connections waiting in the kernel's accept queue" + UNKNOWN_IS_MINUS_ONE,
                "the accept queue's limit: the backlog asked at bind, capped by net.core.somaxconn (-1: unknown)",
                "the thread that accepted last on it", "when it last accepted", "since when it is an orphan"},
            new OpenType<?>[] {SimpleType.LONG, SimpleType.STRING, SimpleType.STRING, SimpleType.LONG,
                SimpleType.LONG, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING});

    static final TabularType CONNECTIONS = Views.table("OrphanedConnections", "accepted connections left behind",
            new String[] {"id"}, CONNECTION_COLUMNS, new String[] {"connection id (closeConnection takes it)",
                "id of the listener that accepted it", "that listener's address", "the peer", "local end",
                "thread that accepted it", "when it was accepted", "milliseconds since accepted",
                "its TCP state as the kernel reports it (CLOSE_WAIT: the peer has gone)",
                "OPEN, or COLLECTED when the JVM collected it unclosed", "why it is an orphan",
                "since when it is an orphan"},
            new OpenType<?>[] {SimpleType.LONG, SimpleType.LONG, SimpleType.STRING, SimpleType.STRING,
                SimpleType.STRING, SimpleType.STRING, SimpleType.STRING, SimpleType.LONG, SimpleType.STRING,
                SimpleType.STRING, SimpleType.STRING, SimpleType.STRING});

    static final TabularType UNMANAGED = Views.table("UnmanagedListeners",
            "listening sockets of this process that hotbind has not seen", new String[] {"inode"},
            UNMANAGED_COLUMNS, new String[] {"the socket's inode in /proc", "its file descriptor number",
                "host:port it listens on", "connections waiting in its accept queue", "why hotbind does not see it"},
            new OpenType<?>[] {SimpleType.LONG, SimpleType.INTEGER, SimpleType.STRING, SimpleType.LONG,
                SimpleType.STRING});

    static final TabularType SATURATED = Views.table("SaturatedListeners",
            "listeners whose accept queue was found full", new String[] {"listenerId"}, SATURATED_COLUMNS,
            new String[] {"listener id", "host:port", "when the audit first saw its queue full",
                "when the audit last saw its queue full", "how many audits saw it full",
                "connections waiting in its accept queue at the latest audit" + UNKNOWN_IS_MINUS_ONE,
                "the accept queue's limit: the backlog asked, capped by net.core.somaxconn",
                "the network namespace's TcpExt ListenOverflows since it was first seen full (every listener of "
                    + "the namespace counts; -1: unknown)", "what to do about it"},
            new OpenType<?>[] {SimpleType.LONG, SimpleType.STRING, SimpleType.STRING, SimpleType.STRING,
                SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.LONG, SimpleType.STRING});

    private AuditViews() {
    }

    static TabularDataSupport acceptThreads(List<OrphanedAcceptThread> findings) {
        TabularDataSupport table = new TabularDataSupport(ACCEPT_THREADS);
        for (OrphanedAcceptThread f : findings) {
            table.put(Views.row(ACCEPT_THREADS, THREAD_COLUMNS, f.threadId(), f.listenerId(), f.threadName(),
                    f.threadState(), f.listenerAddress(), f.reason(), f.failedCalls(), f.failuresPerSecond(),
                    Views.time(f.sinceMillis()), stack(f.stack())));
        }
        return table;
    }

    static TabularDataSupport listeners(List<OrphanedListener> findings) {
        TabularDataSupport table = new TabularDataSupport(LISTENERS);
        for (OrphanedListener f : findings) {
            table.put(Views.row(LISTENERS, LISTENER_COLUMNS, f.listenerId(), f.address(), f.reason(),
                    f.acceptQueueDepth(), f.backlog(), f.lastAcceptThread(),
                    f.lastAcceptMillis() == 0 ? "never" : Views.time(f.lastAcceptMillis()), Views.time(f.sinceMillis())));
        }
        return table;
    }

    static TabularDataSupport connections(List<OrphanedConnection> findings) {
        TabularDataSupport table = new TabularDataSupport(CONNECTIONS);
        long now = System.currentTimeMillis();
        for (OrphanedConnection f : findings) {
            ConnectionRecord c = f.connection();
            table.put(Views.row(CONNECTIONS, CONNECTION_COLUMNS, c.id(), c.listener().id(), c.listener().address(),
                    c.remoteAddress(), c.localAddress(), c.acceptThread(), Views.time(c.acceptedAtMillis()),
                    Views.age(c, now), f.kernelState(), c.state().name(), f.reason(),
                    Views.time(f.sinceMillis())));
        }
        return table;
    }

    static TabularDataSupport unmanaged(List<UnmanagedListener> findings) {
        TabularDataSupport table = new TabularDataSupport(UNMANAGED);
        for (UnmanagedListener f : findings) {
            table.put(Views.row(UNMANAGED, UNMANAGED_COLUMNS, f.inode(), f.fd(), f.address(), f.acceptQueueDepth(),
                    f.reason()));
        }
        return table;
    }

    static TabularDataSupport saturated(List<SaturatedListener> findings) {
        TabularDataSupport table = new TabularDataSupport(SATURATED);
        for (SaturatedListener f : findings) {
            table.put(Views.row(SATURATED, SATURATED_COLUMNS, f.listenerId(), f.address(), Views.time(f.sinceMillis()),
                    Views.time(f.lastFullMillis()), f.timesSeenFull(), f.acceptQueueDepth(), f.backlog(),
                    f.listenOverflows(), f.suggestion()));
        }
        return table;
    }

    private static String stack(StackTraceElement[] frames) {
        StringBuilder out = new StringBuilder();
        for (StackTraceElement frame : frames) {
            out.append(out.length() == 0 ? "" : "\n").append(frame);
        }
        return out.toString();
    }
}
