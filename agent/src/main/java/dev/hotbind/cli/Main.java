package dev.hotbind.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code java -jar hotbind-agent.jar <command> ...}. Exit codes: 0 done, 1 the operation failed,
 * 2 the command line was wrong (nothing was sent to any JVM).
 */
public final class Main {
    private interface Body {
        void run(Args args, PrintStream out, PrintStream err) throws CliError;
    }

    private record Command(String synopsis, String description, Body body) {
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("attach", new Command("<pid> [key=value,...]",
                "load hotbind into a running JVM, with agent options as for -javaagent", (a, o, e) -> AttachCommand.run(a, o)));
        COMMANDS.put("jvms", new Command("", "list the JVMs you can attach to and whether hotbind runs in each",
                (a, o, e) -> JvmsCommand.run(a, o)));
        COMMANDS.put("list", new Command("<pid>", "the listeners of a JVM: address, state, accept threads, counts",
                ListenerCommands::list));
        COMMANDS.put("connections", new Command("<pid> [listenerId]",
                "open connections accepted by all listeners, or by one", ListenerCommands::connections));
        listenerOperation("close", "close a listener as if the application had closed it");
        listenerOperation("rebind", "replace the listening socket with a fresh one on the same address");
        COMMANDS.put("rebind-to", new Command("<pid> <listenerId> <address>",
                "move a listener to host:port, :port, port or [v6]:port", ListenerCommands::rebindTo));
        listenerOperation("unbind", "release the port; accept threads wait until rebind or rebind-to");
        COMMANDS.put("drain", new Command("<pid> <listenerId> <timeout>",
                "stop accepting, let connections finish, force-close the rest after timeout (500ms, 30s, 2m, 1h)",
                ListenerCommands::drain));
        COMMANDS.put("help", new Command("", "this text", (a, o, e) -> o.print(usage())));
    }

    private Main() {
    }

    /** A command that invokes the listener MBean's parameterless operation of the same name. */
    private static void listenerOperation(String name, String description) {
        COMMANDS.put(name, new Command("<pid> <listenerId>", description,
                (args, out, err) -> ListenerCommands.operation(name, args, out, err)));
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
        Command command = COMMANDS.get(args[0]);
        if (command == null) {
            err.println("hotbind: unknown command '" + args[0] + "'");
            err.print(usage());
            return CliError.USAGE;
        }
        try {
            command.body().run(new Args(args[0], command.synopsis(), Arrays.asList(args).subList(1, args.length)),
                    out, err);
            return 0;
        } catch (CliError e) {
            // one line, also when a remote message spans several
            err.println("hotbind: " + e.getMessage().replaceAll("\\s*\\R\\s*", " "));
            return e.exitCode();
        }
    }

    static String usage() {
        StringBuilder text = new StringBuilder("usage: java -jar hotbind-agent.jar <command> [arguments]\n\n");
        int width = COMMANDS.entrySet().stream().mapToInt(e -> label(e.getKey(), e.getValue()).length()).max()
                .orElse(0);
        COMMANDS.forEach((name, c) -> text.append("  ").append(String.format("%-" + width + "s", label(name, c)))
                .append("  ").append(c.description()).append('\n'));
        return text.append("\nexit codes: 0 done, 1 the operation failed, 2 usage error (nothing was done)\n")
                .append("pid: a process id as 'jvms' shows it; listenerId: a number as 'list' shows it\n")
                .append("attach: ").append(AttachCommand.JEP_451).append('\n').toString();
    }

    private static String label(String name, Command command) {
        return command.synopsis().isEmpty() ? name : name + " " + command.synopsis();
    }
}
