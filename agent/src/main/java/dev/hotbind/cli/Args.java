package dev.hotbind.cli;

import dev.hotbind.options.Durations;
import java.util.List;

/** A command's arguments, checked for shape before anything talks to a JVM. */
final class Args {
    private final String command;
    private final String synopsis;
    private final List<String> values;

    Args(String command, String synopsis, List<String> values) {
        this.command = command;
        this.synopsis = synopsis;
        this.values = List.copyOf(values);
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

    long pid(int index) throws CliError {
        return positive(index, "pid", "the process id of a running JVM (see 'jvms')");
    }

    long listenerId(int index) throws CliError {
        return positive(index, "listener id", "a listener's number as 'list' shows it");
    }

    long durationMillis(int index, String name) throws CliError {
        long millis = Durations.parseMillis(values.get(index));
        if (millis < 0) {
            throw CliError.usage("bad " + name + " '" + values.get(index) + "'; expected " + Durations.SYNTAX);
        }
        return millis;
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
