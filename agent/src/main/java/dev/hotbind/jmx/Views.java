package dev.hotbind.jmx;

import dev.hotbind.registry.AcceptWaiter;
import dev.hotbind.registry.ConnectionRecord;
import dev.hotbind.registry.ListenerRecord;
import java.net.StandardSocketOptions;
import java.time.Instant;
import java.util.List;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;
import javax.management.openmbean.TabularDataSupport;
import javax.management.openmbean.TabularType;
import jdk.net.ExtendedSocketOptions;

/** Registry records as open data: the tables JConsole, jmx_exporter and Jolokia read. */
final class Views {
    static final String BEFORE_ATTACH = "before hotbind was attached";

    private static final String[] LISTENER_COLUMNS = {"id", "kind", "address", "port", "state", "acceptedCount",
        "openConnections", "acceptThreads", "boundAt"};
    private static final String[] CONNECTION_COLUMNS = {"id", "listenerId", "listenerAddress", "remoteAddress",
        "localAddress", "acceptedAt", "ageMillis", "acceptThread", "state", "keepAlive", "keepIdleSeconds",
        "keepIntervalSeconds", "keepCount"};

    static final TabularType LISTENERS = table("Listeners", "listeners of this JVM", new String[] {"id"}, LISTENER_COLUMNS,
            new String[] {"listener id", "ServerSocket or ServerSocketChannel", "local address as host:port",
                "local port", "BOUND, UNBOUND, DRAINING or CLOSED", "connections accepted so far",
                "accepted connections still open", "threads inside accept now", "when it was bound"},
            new OpenType<?>[] {SimpleType.LONG, SimpleType.STRING, SimpleType.STRING, SimpleType.INTEGER,
                SimpleType.STRING, SimpleType.LONG, SimpleType.INTEGER, SimpleType.STRING, SimpleType.STRING});

    static final TabularType CONNECTIONS = table("Connections", "accepted connections", new String[] {"id"}, CONNECTION_COLUMNS,
            new String[] {"connection id", "id of the listener that accepted it", "that listener's address",
                "the peer", "local end", "when it was accepted", "milliseconds since accepted (-1: before the attach)",
                "thread that accepted it (empty: accepted before the attach)", "OPEN, CLOSED, COLLECTED or LOST",
                "SO_KEEPALIVE as the socket has it now", "TCP_KEEPIDLE now (-1: closed or unsupported)",
                "TCP_KEEPINTERVAL now (-1: closed or unsupported)", "TCP_KEEPCOUNT now (-1: closed or unsupported)"},
            new OpenType<?>[] {SimpleType.LONG, SimpleType.LONG, SimpleType.STRING, SimpleType.STRING,
                SimpleType.STRING, SimpleType.STRING, SimpleType.LONG, SimpleType.STRING, SimpleType.STRING,
                SimpleType.BOOLEAN, SimpleType.INTEGER, SimpleType.INTEGER, SimpleType.INTEGER});

    private Views() {
    }

    static TabularDataSupport listeners(List<ListenerRecord> records) {
        TabularDataSupport table = new TabularDataSupport(LISTENERS);
        for (ListenerRecord r : records) {
            table.put(row(LISTENERS, LISTENER_COLUMNS, r.id(), r.kind(), r.address(), r.localAddress().getPort(),
                    r.state().name(), r.acceptedCount(), r.openConnections(), String.join(", ", acceptThreads(r)),
                    time(r.boundAtMillis())));
        }
        return table;
    }

    static TabularDataSupport connections(List<ConnectionRecord> records) {
        TabularDataSupport table = new TabularDataSupport(CONNECTIONS);
        long now = System.currentTimeMillis();
        for (ConnectionRecord c : records) {
            table.put(row(CONNECTIONS, CONNECTION_COLUMNS, c.id(), c.listener().id(), c.listener().address(),
                    c.remoteAddress(), c.localAddress(), time(c.acceptedAtMillis()), age(c, now),
                    c.acceptThread(), c.state().name(), Boolean.TRUE.equals(c.option(StandardSocketOptions.SO_KEEPALIVE)),
                    orMinusOne(c.option(ExtendedSocketOptions.TCP_KEEPIDLE)),
                    orMinusOne(c.option(ExtendedSocketOptions.TCP_KEEPINTERVAL)),
                    orMinusOne(c.option(ExtendedSocketOptions.TCP_KEEPCOUNT))));
        }
        return table;
    }

    /** "name (since 2026-11-22T04:20:00Z)" for each thread inside accept now. */
    static String[] acceptThreads(ListenerRecord listener) {
        List<AcceptWaiter> waiters = listener.acceptWaiters();
        String[] out = new String[waiters.size()];
        for (int i = 0; i < out.length; i++) {
            AcceptWaiter w = waiters.get(i);
            out[i] = w.thread().getName() + " (since " + time(w.sinceMillis()) + ")";
        }
        return out;
    }

    /** Milliseconds since accepted; -1 for a connection accepted before the attach (when is unknown). */
    static long age(ConnectionRecord c, long now) {
        return c.acceptedAtMillis() == 0 ? -1 : now - c.acceptedAtMillis();
    }

    private static int orMinusOne(Integer value) {
        return value == null ? -1 : value;
    }

    static String time(long epochMillis) {
        return epochMillis == 0 ? BEFORE_ATTACH : Instant.ofEpochMilli(epochMillis).toString();
    }

    static CompositeDataSupport row(TabularType table, String[] columns, Object... values) {
        try {
            return new CompositeDataSupport(table.getRowType(), columns, values);
        } catch (OpenDataException e) {
            throw new IllegalStateException(e);
        }
    }

    static TabularType table(String name, String description, String[] index, String[] columns,
                             String[] descriptions, OpenType<?>[] types) {
        try {
            CompositeType row = new CompositeType(name + "Row", description, columns, descriptions, types);
            return new TabularType(name, description, row, index);
        } catch (OpenDataException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
