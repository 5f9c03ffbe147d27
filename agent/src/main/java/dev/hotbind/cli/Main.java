package dev.hotbind.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar hotbind-agent.jar <command> ...}. Exit codes: 0 done, 1 the operation failed,
 * 2 the command line was wrong (nothing was sent to any JVM).
 */
public final class Main {
    private interface Body {
        void run(Args args, PrintStream out) throws CliError;
    }

    /** {@code json}: the command takes {@code --json} (it reads, or answers with an operation's figures). */
    private record Command(String synopsis, String description, boolean json, Body body) {
    }

    static final String JSON = "--json";

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("attach", new Command("<pid> [key=value,...]",
                "load hotbind into a running JVM, with agent options as for -javaagent", false, AttachCommand::run));
        COMMANDS.put("jvms", new Command("[--json]", "list the JVMs you can attach to and whether hotbind runs in each",
                true, JvmsCommand::run));
        COMMANDS.put("list", new Command("<pid> [--json]", "the listeners of a JVM: address, state, SO_REUSEPORT,"
                + " backlog, accept queue, fd, who accepts", true, ListCommand::run));
        COMMANDS.put("show", new Command("<pid> <listenerId> [--json]", "every attribute of one listener", true,
                ShowCommand::run));
        COMMANDS.put("connections", new Command("<pid> [listenerId] [--json]",
                "open connections accepted by all listeners, or by one", true, ConnectionsCommand::run));
        COMMANDS.put("orphans", new Command("<pid> [--json]", "the orphan audit's findings: accept threads, listeners,"
                + " connections left behind, listeners hotbind has not seen", true, OrphansCommand::run));
        listenerOperation("close", "close a listener as if the application had closed it");
        listenerOperation("rebind", "renew a listener in place on its address (when unbound: bind it again)");
        COMMANDS.put("rebind-to", new Command("<pid> <listenerId> <address> [--json]",
                "move a listener to host:port, :port, port or [v6]:port", true, ListenerCommands::rebindTo));
        listenerOperation("unbind", "release the port; accept threads wait until rebind or rebind-to");
        COMMANDS.put("set-backlog", new Command("<pid> <listenerId> <backlog> [--json]",
                "change a listener's accept queue limit in place (1 to 65535, capped at net.core.somaxconn)", true,
                ListenerCommands::setBacklog));
        COMMANDS.put("drain", new Command("<pid> <listenerId|all> <timeout> [--json]",
                "stop accepting, let connections finish, force-close the rest after timeout (500ms, 30s, 2m, 1h;"
                        + " not 0); all: every listener but the JVM's JMX connector", true, DrainCommand::run));
        COMMANDS.put("help", new Command("", "this text (also -h, --help); --version: hotbind's version", false,
                (a, o) -> o.print(usage())));
    }

    private Main() {
    }

    /** A command that invokes the listener MBean's parameterless operation of the same name. */
    private static void listenerOperation(String name, String description) {
        COMMANDS.put(name, new Command("<pid> <listenerId> [--json]", description, true,
                (args, out) -> ListenerCommands.operation(name, args, out)));
    }

    public static void main(String[] args) {
        // exit explicitly: a JMX client leaves non-daemon RMI threads behind
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            err.print(usage());
            return CliError.USAGE;
        }
        if (args[0].equals("-h") || args[0].equals("--help")) {
            out.print(usage());
            return 0;
        }
        if (args[0].equals("--version")) {
            out.println("hotbind " + version());
            return 0;
        }
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("hotbind: unknown command '" + args[0] + "'");
            err.print(usage());
            return CliError.USAGE;
        }
        List<String> values = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        boolean json = values.removeIf(JSON::equals);
        try {
            if (json && !command.json()) {
                throw CliError.usage(JSON + " is for the commands that read or operate on a listener; '" + args[0]
                        + "' answers in words");
            }
            command.body().run(new Args(args[0], command.synopsis(), values, json), out);
            return 0;
        } catch (CliError e) {
            // one line, also when a remote message spans several
            err.println("hotbind: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
            return e.exitCode();
        }
    }

    /** The version in the jar's manifest; "dev" when run from classes, as in unit tests. */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "dev" : version;
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: java -jar hotbind-agent.jar <command> [arguments]\n\n");
        int width = COMMANDS.entrySet().stream().mapToInt(e -> label(e.getKey(), e.getValue()).length()).max()
                .orElse(0);
        COMMANDS.forEach((name, c) -> text.append("  ").append(String.format("%-" + width + "s", label(name, c)))
                .append("  ").append(c.description()).append('\n'));
        return text.append("\nexit codes: 0 done, 1 the operation failed, 2 usage error (nothing was done)\n")
                .append("pid: a process id, or a main class or jar name as 'jvms' shows it (as jcmd takes it);"
                        + " listenerId: a number as 'list' shows it\n")
                .append(JSON + ": one JSON document on stdout, with the MBeans' attribute and column names, or the"
                        + " operation's figures\n")
                .append("an operation prints its summary, one fact per line; a bad argument the agent refuses exits 2,"
                        + " a refused operation 1\n")
                .append("attach: ").append(AttachCommand.JEP_451).append('\n').toString();
    }

    private static String label(String name, Command command) {
        return command.synopsis().isEmpty() ? name : name + " " + command.synopsis();
    }
}
