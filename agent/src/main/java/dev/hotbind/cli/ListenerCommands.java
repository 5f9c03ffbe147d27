package dev.hotbind.cli;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import javax.management.openmbean.CompositeData;

/** The commands that read or act on a target's listeners through hotbind's MBeans. */
final class ListenerCommands {
    private ListenerCommands() {
    }

    /** {@code list <pid>}. */
    static void list(Args args, PrintStream out, PrintStream err) throws CliError {
        long pid = args.expect(1, 1).pid(0);
        try (TargetConnection target = TargetConnection.attach(pid)) {
            HotbindMBeans hotbind = HotbindMBeans.in(target, err);
            List<CompositeData> rows = hotbind.agentTable("Listeners");
            out.println("pid " + pid + ", hotbind " + hotbind.version() + ": " + rows.size() + " listener(s)");
            if (rows.isEmpty()) {
                return;
            }
            Table table = new Table("ID", "KIND", "ADDRESS", "STATE", "ACCEPTED", "OPEN", "ACCEPT THREADS");
            for (CompositeData r : rows) {
                String threads = (String) r.get("acceptThreads");
                table.row(r.get("id"), r.get("kind"), r.get("address"), r.get("state"), r.get("acceptedCount"),
                        r.get("openConnections"), threads.isEmpty() ? "none" : threads);
            }
            out.print(table);
        }
    }

    /** {@code connections <pid> [listenerId]}. */
    static void connections(Args args, PrintStream out, PrintStream err) throws CliError {
        long pid = args.expect(1, 2).pid(0);
        Long only = args.has(1) ? args.listenerId(1) : null;
        try (TargetConnection target = TargetConnection.attach(pid)) {
            HotbindMBeans hotbind = HotbindMBeans.in(target, err);
            if (only != null) {
                hotbind.listener(only);
            }
            Table table = new Table("ID", "LISTENER", "REMOTE", "LOCAL", "STATE", "AGE", "ACCEPTED BY");
            for (CompositeData r : hotbind.agentTable("Connections")) {
                if (only == null || only.equals(r.get("listenerId"))) {
                    table.row(r.get("id"), "#" + r.get("listenerId") + " " + r.get("listenerAddress"),
                            r.get("remoteAddress"), r.get("localAddress"), r.get("state"),
                            age((Long) r.get("ageMillis")), r.get("acceptThread"));
                }
            }
            out.println("pid " + pid + ": " + table.size() + " open connection(s)"
                    + (only == null ? "" : " accepted by listener #" + only));
            if (table.size() > 0) {
                out.print(table);
            }
        }
    }

    /** {@code close|rebind|unbind <pid> <listenerId>}: a listener operation without parameters. */
    static void operation(String operation, Args args, PrintStream out, PrintStream err) throws CliError {
        args.expect(2, 2);
        invoke(args.pid(0), args.listenerId(1), operation, out, err);
    }

    /** {@code rebind-to <pid> <listenerId> <address>}; the agent checks the address and says what is wrong. */
    static void rebindTo(Args args, PrintStream out, PrintStream err) throws CliError {
        args.expect(3, 3);
        long pid = args.pid(0);
        long id = args.listenerId(1);
        if (args.text(2).isBlank()) {
            throw CliError.usage("empty address; expected host:port, :port, port or [v6]:port");
        }
        invoke(pid, id, "rebindTo", out, err, args.text(2).trim());
    }

    /** {@code drain <pid> <listenerId> <timeout>}. */
    static void drain(Args args, PrintStream out, PrintStream err) throws CliError {
        args.expect(3, 3);
        long pid = args.pid(0);
        long id = args.listenerId(1);
        invoke(pid, id, "drain", out, err, args.durationMillis(2, "timeout"));
    }

    private static void invoke(long pid, long id, String operation, PrintStream out, PrintStream err,
                               Object... params)
            throws CliError {
        try (TargetConnection target = TargetConnection.attach(pid)) {
            out.println(HotbindMBeans.in(target, err).invoke(id, operation, params));
        }
    }

    /** "850ms", "12.5s", "3m07s", "2h05m": how long a connection has been open, at a glance. */
    static String age(long millis) {
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format("%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh%02dm", seconds / 3600, seconds % 3600 / 60);
    }
}
