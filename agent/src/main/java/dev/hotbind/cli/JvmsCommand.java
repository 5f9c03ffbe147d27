package dev.hotbind.cli;

import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.hotbind.entry.HotbindAgent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
        List<VirtualMachineDescriptor> found = Targets.attachable();
        if (found.isEmpty() && !args.json()) {
            out.println("no attachable JVMs of this user found");
            return;
        }
        // a JVM that is busy or ending may take the Attach API's whole timeout: ask them all at once
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(found.size(), PARALLEL_PROBES)), r -> {
            Thread t = new Thread(r, "hotbind-jvms");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Probe>> states = new ArrayList<>();
            for (VirtualMachineDescriptor d : found) {
                states.add(pool.submit(() -> probe(Targets.pid(d))));
            }
            Table table = new Table("PID", "JAVA", "HOTBIND", "MAIN CLASS / DISPLAY NAME");
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < found.size(); i++) {
                VirtualMachineDescriptor d = found.get(i);
                Probe state = states.get(i).get();
                table.row(d.id(), state.java() == null ? "?" : state.java(), state.hotbindText(),
                        d.displayName().isEmpty() ? "-" : d.displayName());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("pid", Targets.pid(d));
                row.put("java", state.java());
                row.put("hotbind", state.hotbind());
                row.put("error", state.error());
                row.put("displayName", d.displayName());
                row.put("mainClass", Targets.mainOf(d.displayName()));
                rows.add(row);
            }
            out.print(args.json() ? Json.of(Map.of("jvms", rows)) : table.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliError.failed("interrupted while asking the JVMs");
        } catch (ExecutionException e) {
            throw CliError.failed("asking a JVM failed: " + CliError.rootCause(e));
        } finally {
            pool.shutdownNow();
        }
    }

    /** One JVM's Java version and hotbind version (null: not loaded), or why they could not be read. */
    private record Probe(String java, String hotbind, String error) {
        String hotbindText() {
            return error != null ? "unknown (" + error + ")" : hotbind == null ? "no" : hotbind;
        }
    }

    /** Java version and hotbind state of one JVM, read through a short attach. */
    private static Probe probe(long pid) {
        try (TargetConnection target = TargetConnection.attach(pid)) {
            Properties properties = target.systemProperties();
            return new Probe(properties.getProperty("java.version"),
                    properties.getProperty(HotbindAgent.LOADED_PROPERTY), null);
        } catch (CliError e) {
            return new Probe(null, null, e.getMessage());
        }
    }
}
