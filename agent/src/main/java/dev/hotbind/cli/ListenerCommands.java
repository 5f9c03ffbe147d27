package dev.hotbind.cli;

import java.io.PrintStream;
import java.util.Locale;

/** The commands that act on one of a target's listeners through its MBean. */
final class ListenerCommands {
    private ListenerCommands() {
    }

    /** {@code close|rebind|unbind <pid> <listenerId>}: a listener operation without parameters. */
    static void operation(String operation, Args args, PrintStream out) throws CliError {
        args.expect(2, 2);
        invoke(args, args.pid(0), args.listenerId(1), operation, out);
    }

    /** {@code rebind-to <pid> <listenerId> <address>}; the address is checked here, before anything is sent. */
    static void rebindTo(Args args, PrintStream out) throws CliError {
        args.expect(3, 3);
        long id = args.listenerId(1);
        String address = args.address(2);
        invoke(args, args.pid(0), id, "rebindTo", out, address);
    }

    /** {@code set-backlog <pid> <listenerId> <backlog>}; the backlog is checked here, before anything is sent. */
    static void setBacklog(Args args, PrintStream out) throws CliError {
        args.expect(3, 3);
        long id = args.listenerId(1);
        int backlog = args.backlog(2);
        invoke(args, args.pid(0), id, "setBacklog", out, backlog);
    }

    private static void invoke(Args args, long pid, long id, String operation, PrintStream out, Object... params)
            throws CliError {
        try (TargetConnection target = TargetConnection.attach(pid)) {
            OperationAnswer.print(HotbindMBeans.in(target).invoke(id, operation, params), args.json(), out);
        }
    }

    /**
     * "850ms", "12.5s", "3m07s", "2h05m": how long a connection has been open, at a glance; "?" for -1,
     * a connection accepted before the attach (when is not known).
     */
    static String age(long millis) {
        if (millis < 0) {
            return "?";
        }
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
