package dev.hotbind.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.hotbind.entry.HotbindAgent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;

/** {@code jvms}: the JVMs this user can attach to, and whether hotbind runs in each. */
final class JvmsCommand {
    private JvmsCommand() {
    }

    static void run(Args args, PrintStream out) throws CliError {
        args.expect(0, 0);
        long self = ProcessHandle.current().pid();
        List<VirtualMachineDescriptor> found = new ArrayList<>(VirtualMachine.list());
        found.sort(Comparator.comparingLong(JvmsCommand::pid));
        Table table = new Table("PID", "JAVA", "HOTBIND", "MAIN CLASS / DISPLAY NAME");
        for (VirtualMachineDescriptor d : found) {
            if (pid(d) != self) {
                String[] state = probe(pid(d));
                table.row(d.id(), state[0], state[1], d.displayName().isEmpty() ? "-" : d.displayName());
            }
        }
        if (table.size() == 0) {
            out.println("no attachable JVMs of this user found");
            return;
        }
        out.print(table);
    }

    /** Java version and hotbind state of one JVM, read through a short attach. */
    private static String[] probe(long pid) {
        try (TargetConnection target = TargetConnection.attach(pid)) {
            Properties properties = target.systemProperties();
            String hotbind = properties.getProperty(HotbindAgent.LOADED_PROPERTY);
            return new String[] {properties.getProperty("java.version", "?"), hotbind == null ? "no" : hotbind};
        } catch (CliError e) {
            return new String[] {"?", "unknown (" + e.getMessage() + ")"};
        }
    }

    private static long pid(VirtualMachineDescriptor d) {
        try {
            return Long.parseLong(d.id());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
