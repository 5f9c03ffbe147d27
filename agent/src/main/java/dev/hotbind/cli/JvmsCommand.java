package dev.hotbind.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.hotbind.entry.HotbindAgent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code jvms}: the JVMs this user can attach to, and whether hotbind runs in each. */
final class JvmsCommand {
    private static final int PARALLEL_PROBES = 8;

    private JvmsCommand() {
    }

    static void run(Args args, PrintStream out) throws CliError {
        args.expect(0, 0);
        long self = ProcessHandle.current().pid();
        List<VirtualMachineDescriptor> found = new ArrayList<>(VirtualMachine.list());
        found.removeIf(d -> pid(d) == self);
        found.sort(Comparator.comparingLong(JvmsCommand::pid));
        if (found.isEmpty()) {
            out.println("no attachable JVMs of this user found");
            return;
        }
        // a JVM that is busy or ending may take the Attach API's whole timeout: ask them all at once
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(found.size(), PARALLEL_PROBES), r -> {
            Thread t = new Thread(r, "hotbind-jvms");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<String[]>> states = new ArrayList<>();
            for (VirtualMachineDescriptor d : found) {
                states.add(pool.submit(() -> probe(pid(d))));
            }
            Table table = new Table("PID", "JAVA", "HOTBIND", "MAIN CLASS / DISPLAY NAME");
            for (int i = 0; i < found.size(); i++) {
                VirtualMachineDescriptor d = found.get(i);
                String[] state = states.get(i).get();
                table.row(d.id(), state[0], state[1], d.displayName().isEmpty() ? "-" : d.displayName());
            }
            out.print(table);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliError.failed("interrupted while asking the JVMs");
        } catch (ExecutionException e) {
            throw CliError.failed("asking a JVM failed: " + CliError.rootCause(e));
        } finally {
            pool.shutdownNow();
        }
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
