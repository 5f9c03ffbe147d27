package dev.hotbind.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.management.openmbean.CompositeData;

/**
 * {@code connections <pid> [listenerId]}: open connections accepted by all listeners, or by one. This
 * command's own JMX connection to the target is left out: the operator did not open it.
 */
final class ConnectionsCommand {
    private ConnectionsCommand() {
    }

    static void run(Args args, PrintStream out) throws CliError {
        long pid = args.expect(1, 2).pid(0);
        Long only = args.has(1) ? args.listenerId(1) : null;
        try (TargetConnection target = TargetConnection.attach(pid)) {
            HotbindMBeans hotbind = HotbindMBeans.in(target);
            if (only != null) {
                hotbind.listener(only);
            }
            Set<String> own = OwnSockets.localAddresses();
            List<CompositeData> rows = new ArrayList<>();
            int omitted = 0;
            List<CompositeData> open = new MBeanReads(target).readRows(MBeanReads.AGENT, "connections");
            open.sort(Comparator.comparingLong(r -> (Long) r.get("id")));
            for (CompositeData r : open) {
                if (only != null && !only.equals(r.get("listenerId"))) {
                    continue;
                }
                if (own.contains(String.valueOf(r.get("remoteAddress")))) {
                    omitted++;
                } else {
                    rows.add(r);
                }
            }
            if (args.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("pid", pid);
                doc.put("listenerId", only);
                doc.put("connections", rows);
                out.print(Json.of(doc));
                return;
            }
            Table table = new Table("ID", "LISTENER", "REMOTE", "LOCAL", "STATE", "AGE", "ACCEPTED BY");
            for (CompositeData r : rows) {
                table.row(r.get("id"), "#" + r.get("listenerId") + " " + r.get("listenerAddress"),
                        r.get("remoteAddress"), r.get("localAddress"), r.get("state"),
                        ListenerCommands.age((Long) r.get("ageMillis")), r.get("acceptThread"));
            }
            out.println("pid " + pid + ": " + table.size() + " open connection(s)"
                    + (only == null ? "" : " accepted by listener #" + only)
                    + (omitted == 0 ? "" : " (this command's own JMX connection not shown)"));
            if (table.size() > 0) {
                out.print(table);
            }
        }
    }
}
