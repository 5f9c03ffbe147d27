package dev.hotbind.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;

/**
 * A target JVM as {@code jcmd} takes it: a pid, or the main class or jar of a JVM of this user, as the
 * Attach API's display name shows it ({@code jvms} lists them).
 */
final class Targets {
    private Targets() {
    }

    /** The attachable JVMs of this user, this command excluded, by pid. */
    static List<VirtualMachineDescriptor> attachable() {
        long self = ProcessHandle.current().pid();
        List<VirtualMachineDescriptor> found = new ArrayList<>(VirtualMachine.list());
        found.removeIf(d -> pid(d) == self || pid(d) < 0);
        found.sort(Comparator.comparingLong(Targets::pid));
        return found;
    }

    /** The pid of the one JVM whose main class or jar is {@code name}; none or several is a usage error. */
    static long byName(String name) throws CliError {
        List<VirtualMachineDescriptor> matches = new ArrayList<>();
        for (VirtualMachineDescriptor d : attachable()) {
            if (matches(mainOf(d.displayName()), name)) {
                matches.add(d);
            }
        }
        if (matches.size() == 1) {
            return pid(matches.get(0));
        }
        if (matches.isEmpty()) {
            throw CliError.usage("no JVM of this user runs a main class or jar named '" + name
                    + "'; give a pid or a name as 'jvms' shows it");
        }
        StringJoiner candidates = new StringJoiner(", ");
        matches.forEach(d -> candidates.add(d.id() + " " + mainOf(d.displayName())));
        throw CliError.usage("'" + name + "' matches " + matches.size() + " JVMs: " + candidates
                + "; give the pid of one");
    }

    /**
     * As jcmd: the fully qualified main class, its simple name, the jar's path or the jar's file name.
     */
    static boolean matches(String main, String name) {
        return !main.isEmpty() && (main.equals(name) || main.endsWith("." + name) || main.endsWith("/" + name));
    }

    /** The display name's first word: the main class, or the jar the JVM was started with. */
    static String mainOf(String displayName) {
        String trimmed = displayName.trim();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    static long pid(VirtualMachineDescriptor d) {
        try {
            return Long.parseLong(d.id());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
