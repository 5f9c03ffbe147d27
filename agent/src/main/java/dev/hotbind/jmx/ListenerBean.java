package dev.hotbind.jmx;

import dev.hotbind.audit.Auditor;
import dev.hotbind.audit.KernelSocket;
import dev.hotbind.drain.Drained;
import dev.hotbind.drain.Drainer;
import dev.hotbind.rebind.Closed;
import dev.hotbind.rebind.Rebound;
import dev.hotbind.rebind.Unbound;
import dev.hotbind.rebind.BacklogSet;
import dev.hotbind.rebind.ListenerOperations;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.Registry;
import java.nio.channels.SelectableChannel;
import java.util.List;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.SimpleType;

/**
 * The MBean of one listener: {@code dev.hotbind:type=Listener,name=<host> port <port>,id=<id>}. The {@code id}
 * key never changes for the listener's life, so scripts address it as {@code dev.hotbind:type=Listener,id=<id>,*}
 * whatever address a {@code rebindTo} gives it; {@code name} is what JConsole's tree shows. The JVM's own
 * JMX connector also has {@code role=JVM JMX connector} before its id, a node of its own in JConsole's tree.
 */
final class ListenerBean {
    static final ArrayType<String[]> STRINGS = stringArray();
    /** The key and value that mark the JVM's own JMX connector (which hotbind does not close, move, unbind or drain). */
    static final String CONNECTOR_ROLE = ",role=JVM JMX connector";

    private ListenerBean() {
    }

    /**
     * JConsole shows the name's value as its tree node, quotes included, so the value is written in a
     * form that needs none ({@code 127.0.0.1 port 8080}); only an IPv6 host, whose colons cannot
     * stand unquoted, is quoted.
     */
    static ObjectName name(ListenerRecord listener) {
        String label = listener.localAddress().getAddress().getHostAddress() + " port "
                + listener.localAddress().getPort();
        try {
            return new ObjectName(JmxExporter.DOMAIN + ":type=Listener,name="
                    + (label.indexOf(':') < 0 ? label : ObjectName.quote(label))
                    + (listener.isJvmManagementConnector() ? CONNECTOR_ROLE : "") + ",id=" + listener.id());
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
    }

    static OpenBean of(ListenerRecord l, Registry registry, ListenerOperations operations, Drainer drainer,
                       Auditor auditor) {
        return new OpenBean(ListenerRecord.class.getName(),
                "A listening socket of this JVM, as hotbind sees it; operations act on the application's own socket")
                .attribute("Id", "hotbind's id for this listener", SimpleType.LONG, l::id)
                .attribute("Kind", "ServerSocket or ServerSocketChannel (a channel's socket() adaptor is the channel)",
                        SimpleType.STRING, l::kind)
                .attribute("LocalAddress", "the local IP address it listens on", SimpleType.STRING,
                        () -> l.localAddress().getAddress().getHostAddress())
                .attribute("LocalPort", "the local port it listens on", SimpleType.INTEGER,
                        () -> l.localAddress().getPort())
                .attribute("Address", "host:port as an operator writes it", SimpleType.STRING, l::address)
                .attribute("State", "BOUND, UNBOUND (port released by hotbind), DRAINING or CLOSED",
                        SimpleType.STRING, () -> l.state().name())
                .attribute("StateCode", "State as a number to alert on: 0 BOUND (serving), 1 UNBOUND, 2 DRAINING, "
                        + "3 CLOSED", SimpleType.INTEGER, () -> l.state().code())
                .attribute("BoundAt", "when the application bound it (or that it was bound before hotbind attached)",
                        SimpleType.STRING, () -> Views.time(l.boundAtMillis()))
                .attribute("BindThread", "the thread that bound it", SimpleType.STRING, l::bindThread)
                .attribute("BindStackTrace", "where the application bound it, innermost frame first",
                        STRINGS, () -> frames(l.bindStack()))
                .attribute("RequestedBacklog", "the accept backlog last asked for: by the application at bind "
                        + "(0: the JDK's default, 50), or by setBacklog since", SimpleType.INTEGER, l::backlog)
                .attribute("ReuseAddress", "SO_REUSEADDR as the socket has it now", SimpleType.BOOLEAN,
                        l::reuseAddress)
                .attribute("ReusePort", "SO_REUSEPORT as the socket has it now", SimpleType.BOOLEAN, l::reusePort)
                .attribute("Blocking", "whether accept blocks (false: a selector waits for it)", SimpleType.BOOLEAN,
                        l::blocking)
                .attribute("SelectorRegistered", "whether a selector waits for its connections (a non-blocking "
                        + "channel registered with one: no thread sits in accept)", SimpleType.BOOLEAN,
                        () -> l.server() instanceof SelectableChannel && ((SelectableChannel) l.server()).isRegistered())
                .attribute("Fd", "the listening socket's file descriptor number, as ss -p and /proc/<pid>/fd show it "
                        + "(-1: closed, or not known while unbound)", SimpleType.INTEGER, l::fd)
                .attribute("Inherited", "where the listening socket came from when it was inherited (agent option "
                        + "inherit): its descriptor, name and address, e.g. fd 3 (http) [::]:8080; empty when the "
                        + "application's own bind made it", SimpleType.STRING, l::inherited)
                .attribute("JvmManagementConnector", "whether this is the JVM's own JMX connector (the RMI listener "
                        + "JConsole and the hotbind CLI talk through); hotbind does not close, move, unbind or drain it",
                        SimpleType.BOOLEAN, l::isJvmManagementConnector)
                .attribute("AcceptedCount", "connections accepted since hotbind saw the listener", SimpleType.LONG,
                        l::acceptedCount)
                .attribute("OpenConnections", "connections it accepted that are still open", SimpleType.INTEGER,
                        l::openConnections)
                .attribute("AcceptThreads", "threads inside accept right now, with since when", STRINGS,
                        () -> Views.acceptThreads(l))
                .attribute("LastAcceptAt", "when it last accepted a connection", SimpleType.STRING,
                        () -> l.lastAcceptMillis() == 0 ? "never" : Views.time(l.lastAcceptMillis()))
                .attribute("AcceptQueueDepth", "connections waiting in the kernel's accept queue, as of the latest "
                        + "audit (-1: the kernel view is not available, or no audit has run yet)", SimpleType.LONG,
                        () -> kernel(auditor, l) == null ? -1L : kernel(auditor, l).rxQueue())
                .attribute("Backlog", "the accept queue's limit the kernel applies: the backlog asked at bind or "
                        + "by setBacklog, capped by net.core.somaxconn (-1: bound before hotbind was attached and not "
                        + "set since, or no kernel view, or an inherited socket, whose limit is the one its giver "
                        + "listened with)",
                        SimpleType.LONG, () -> l.inheritedFrom() != null ? -1L : auditor.kernel().effectiveBacklog(l))
                .attribute("FailedAccepts", "accept calls that failed (on a closed listener: a spinning loop)",
                        SimpleType.LONG, l::failedAccepts)
                .attribute("DrainRemaining", "while a drain runs, the connections still open; -1 otherwise",
                        SimpleType.INTEGER, () -> drainer.remaining(l))
                .attribute("Drain", "the running drain's progress, else the last drain's summary", SimpleType.STRING,
                        () -> drainer.status(l))
                .read("connections", "The connections it accepted that are still open (OpenConnections counts "
                        + "them)", Views.CONNECTIONS, () -> Views.connections(registry.connectionsOf(l)))
                .operation("drain", "Graceful drain: release the port at once (new clients are refused, accept threads "
                        + "are held as by unbind()), wait until the application has closed every connection this "
                        + "listener accepted, force-close the rest when the timeout passes; answers how many of each. "
                        + "Afterwards rebind() resumes accepting, close() closes", Drained.class,
                        List.of(new OpenBean.Param("timeoutMillis", "how long to wait for the application to close its "
                                + "connections before force-closing them, 1 to 86400000 ms (0 is refused: JConsole "
                                + "pre-fills it)", SimpleType.LONG)),
                        args -> drainer.drain(l, OpenBean.whole(args[0], "timeoutMillis")))
                .operation("close", "Close the listener exactly as the application's own close() would: its accept "
                        + "threads see the close; connections it accepted stay open", Closed.class, List.of(),
                        args -> operations.close(l))
                .operation("rebind", "Renew the listener on its address in place: the same socket listens again with "
                        + "the application's backlog and its waiting threads and selectors are woken, nothing queued is "
                        + "lost (a port the application shares through SO_REUSEPORT gets a fresh socket; when UNBOUND, "
                        + "a fresh socket on the address it had); accept threads continue without an exception, the "
                        + "port never closes", Rebound.class, List.of(),
                        args -> operations.rebind(l))
                .operation("rebindTo", "Move the listener to another address; the application's object then "
                        + "reports it and the old port refuses new clients. Fails, leaving the listener serving, if "
                        + "the address cannot be bound", Rebound.class,
                        List.of(new OpenBean.Param("address", "host:port, [v6]:port, :port or port",
                                SimpleType.STRING)),
                        args -> operations.rebindTo(l, (String) args[0]))
                .operation("setBacklog", "Change the accept queue's limit in place: listen(2) again on the same "
                        + "socket, nothing refused or reset, what waits in the queue stays; the kernel caps it at "
                        + "net.core.somaxconn (the answer says so); the Backlog attribute shows the limit in effect",
                        BacklogSet.class, List.of(new OpenBean.Param("backlog", "the new backlog, 1 to "
                                + ListenerOperations.MAX_BACKLOG, SimpleType.INTEGER)),
                        args -> operations.setBacklog(l, backlog(args[0])))
                .operation("unbind", "Release the port (new clients are refused) while the application's accept "
                        + "threads wait inside accept without an exception, until rebind() or rebindTo(address)",
                        Unbound.class, List.of(), args -> operations.unbind(l));
    }

    /** setBacklog's parameter as a client sent it (any whole number: JConsole may send another width). */
    private static int backlog(Object value) {
        long backlog = OpenBean.whole(value, "backlog");
        if (backlog != (int) backlog) {
            throw new IllegalArgumentException("backlog " + backlog + " is out of range: 1 to "
                    + ListenerOperations.MAX_BACKLOG);
        }
        return (int) backlog;
    }

    private static KernelSocket kernel(Auditor auditor, ListenerRecord l) {
        return auditor.report().listenerSockets().get(l.id());
    }

    private static String[] frames(StackTraceElement[] stack) {
        String[] out = new String[stack.length];
        for (int i = 0; i < stack.length; i++) {
            out[i] = stack[i].toString();
        }
        return out;
    }

    private static ArrayType<String[]> stringArray() {
        try {
            return ArrayType.getArrayType(SimpleType.STRING);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
