package dev.hotbind.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/** {@code list <pid>}: the listeners, with the columns {@code ss -ltnp} users look for. */
final class ListCommand {
    private static final List<String> ATTRIBUTES = List.of("Id", "Kind", "Address", "State", "ReusePort",
            "RequestedBacklog", "Backlog", "AcceptQueueDepth", "Fd", "AcceptedCount", "OpenConnections",
            "AcceptThreads", "SelectorRegistered", "JvmManagementConnector");

    private ListCommand() {
    }

    static void run(Args args, PrintStream out) throws CliError {
        long pid = args.expect(1, 1).pid(0);
        try (TargetConnection target = TargetConnection.attach(pid)) {
            HotbindMBeans hotbind = HotbindMBeans.in(target);
            List<Map<String, Object>> rows = rows(new MBeanReads(target));
            if (args.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("pid", pid);
                doc.put("hotbind", hotbind.version());
                doc.put("listeners", rows);
                out.print(Json.of(doc));
                return;
            }
            out.println("pid " + pid + ", hotbind " + hotbind.version() + ": " + rows.size() + " listener(s)");
            if (rows.isEmpty()) {
                return;
            }
            Table table = new Table("ID", "KIND", "ADDRESS", "STATE", "REUSEPORT", "BACKLOG", "QUEUE", "FD",
                    "ACCEPTED", "OPEN", "ACCEPTING");
            for (Map<String, Object> r : rows) {
                table.row(r.get("id"), r.get("kind"), r.get("address"), r.get("state"),
                        yesNo(r.get("reusePort")), backlog(r.get("requestedBacklog"), r.get("backlog")),
                        known(r.get("acceptQueueDepth")), known(r.get("fd")), r.get("acceptedCount"),
                        r.get("openConnections"), accepting(r));
            }
            out.print(table);
            out.println("BACKLOG: asked at bind / the kernel's limit; QUEUE: waiting in the accept queue at the"
                    + " latest audit; ?: not known");
        }
    }

    /** One map per listener, fields named as the JSON form shows them, ordered by id. */
    private static List<Map<String, Object>> rows(MBeanReads reads) throws CliError {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (ObjectName name : reads.listeners()) {
            Map<String, Object> a = reads.attributes(name, ATTRIBUTES);
            if (a.get("Id") == null) {
                continue; // closed while we read
            }
            Map<String, Object> row = new LinkedHashMap<>();
            for (String attribute : ATTRIBUTES) {
                if (!attribute.equals("SelectorRegistered")) {
                    row.put(MBeanReads.field(attribute), a.get(attribute));
                }
            }
            String[] threads = (String[]) a.get("AcceptThreads");
            row.put("acceptThreads", threads == null ? List.of() : Arrays.asList(threads));
            row.put("acceptedBy", threads != null && threads.length > 0 ? "threads"
                    : Boolean.TRUE.equals(a.get("SelectorRegistered")) ? "selector" : "none");
            rows.add(row);
        }
        rows.sort(Comparator.comparingLong(r -> (Long) r.get("id")));
        return rows;
    }

    /** Threads in accept, else "selector" when a selector waits for the channel, else "none". */
    private static String accepting(Map<String, Object> row) {
        @SuppressWarnings("unchecked")
        List<String> threads = (List<String>) row.get("acceptThreads");
        String text = threads.isEmpty() ? (String) row.get("acceptedBy") : String.join(", ", threads);
        return Boolean.TRUE.equals(row.get("jvmManagementConnector")) ? text + " [the JVM's JMX connector]" : text;
    }

    private static String backlog(Object requested, Object effective) {
        String asked = requested == null ? "?" : ((Integer) requested == 0 ? "default" : requested.toString());
        return asked + "/" + known(effective);
    }

    /** -1 and absent mean "not known". */
    private static String known(Object value) {
        return value == null || ((Number) value).longValue() < 0 ? "?" : value.toString();
    }

    private static String yesNo(Object value) {
        return value == null ? "?" : (Boolean) value ? "yes" : "no";
    }
}
