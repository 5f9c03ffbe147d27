package dev.hotbind.cli;

import dev.hotbind.options.AgentOptions;
import dev.hotbind.options.Durations;
import dev.hotbind.rebind.AddressParser;
import dev.hotbind.rebind.ListenerOperations;
import java.net.InetAddress;
import java.util.List;

/** A command's arguments, checked for shape before anything talks to a JVM. */
final class Args {
    private final String command;
    private final String synopsis;
    private final List<String> values;
    private final boolean json;

    Args(String command, String synopsis, List<String> values, boolean json) {
        this.command = command;
        this.synopsis = synopsis;
        this.values = List.copyOf(values);
        this.json = json;
    }

    /** Whether {@code --json} was given: the command prints one JSON document instead of tables. */
    boolean json() {
        return json;
    }

    /** Fails unless there are between {@code min} and {@code max} arguments. */
    Args expect(int min, int max) throws CliError {
        if (values.size() < min || values.size() > max) {
            String problem = values.size() < min ? "missing argument" : "too many arguments";
            throw CliError.usage(problem + " for '" + command + "'; usage: " + command
                    + (synopsis.isEmpty() ? "" : " " + synopsis));
        }
        return this;
    }

    boolean has(int index) {
        return index < values.size();
    }

    String text(int index) {
        return values.get(index);
    }

    /** A pid, or as jcmd takes it the main class or jar of one JVM of this user. */
    long pid(int index) throws CliError {
        String value = values.get(index);
        if (!value.matches("[-+]?\\d+")) {
            return Targets.byName(value);
        }
        return positive(index, "pid", "the process id of a running JVM, or its main class or jar (see 'jvms')");
    }

    long listenerId(int index) throws CliError {
        return positive(index, "listener id", "a listener's number as 'list' shows it");
    }

    /** A backlog for set-backlog, in the range the agent takes. */
    int backlog(int index) throws CliError {
        String value = values.get(index);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0 && parsed <= ListenerOperations.MAX_BACKLOG) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with what is expected
        }
        throw CliError.usage("bad backlog '" + value + "'; expected a whole number from 1 to "
                + ListenerOperations.MAX_BACKLOG + " (the kernel caps it at net.core.somaxconn)");
    }

    /** A drain timeout: a duration of at most what the agent accepts, checked before anything is sent. */
    long durationMillis(int index, String name) throws CliError {
        long millis = Durations.parseMillis(values.get(index));
        if (millis == 0) {
            throw CliError.usage("bad " + name + " '" + values.get(index) + "': 0 would force-close every connection at"
                    + " once; give how long the application gets to close them (500ms, 30s, 2m), or use close or unbind"
                    + " to stop accepting without touching connections");
        }
        if (millis < 0) {
            throw CliError.usage("bad " + name + " '" + values.get(index) + "'; expected " + Durations.SYNTAX);
        }
        if (millis > AgentOptions.MAX_DRAIN_MILLIS) {
            throw CliError.usage("bad " + name + " '" + values.get(index) + "'; at most "
                    + Durations.format(AgentOptions.MAX_DRAIN_MILLIS));
        }
        return millis;
    }

    /**
     * An address for rebind-to, in the forms the agent takes; checked here with the agent's own parser
     * so a typo is reported before anything is sent. Returns it as typed, trimmed.
     */
    String address(int index) throws CliError {
        String value = values.get(index).trim();
        if (value.isEmpty()) {
            throw CliError.usage("empty address; " + AddressParser.FORMS);
        }
        try {
            AddressParser.parse(value, InetAddress.getLoopbackAddress());
            return value;
        } catch (IllegalArgumentException e) {
            throw CliError.usage("bad address: " + e.getMessage());
        }
    }

    private long positive(int index, String name, String what) throws CliError {
        String value = values.get(index);
        try {
            long parsed = Long.parseLong(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with what is expected
        }
        throw CliError.usage("bad " + name + " '" + value + "'; expected a positive whole number: " + what);
    }
}
