package dev.hotbind.cli;

import java.io.PrintStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/** {@code show <pid> <listenerId>}: every attribute of one listener's MBean, and its connections. */
final class ShowCommand {
    private ShowCommand() {
    }

    static void run(Args args, PrintStream out) throws CliError {
        args.expect(2, 2);
        long pid = args.pid(0);
        long id = args.listenerId(1);
        try (TargetConnection target = TargetConnection.attach(pid)) {
            HotbindMBeans hotbind = HotbindMBeans.in(target);
            MBeanReads reads = new MBeanReads(target);
            ObjectName listener = hotbind.listener(id);
            Map<String, Object> attributes = reads.allAttributes(listener);
            if (attributes.isEmpty()) {
                throw CliError.failed("listener #" + id + " in pid " + pid + " was closed while we read it");
            }
            // its connections are a read, not an attribute (they would swell exporters' series), but belong here
            attributes.put("Connections", reads.readRows(listener, "connections"));
            if (args.json()) {
                Map<String, Object> fields = new LinkedHashMap<>();
                attributes.forEach((name, value) -> fields.put(MBeanReads.field(name), value));
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("pid", pid);
                doc.put("listener", fields);
                out.print(Json.of(doc));
                return;
            }
            out.println("listener #" + id + " in pid " + pid);
            int width = attributes.keySet().stream().mapToInt(String::length).max().orElse(0);
            attributes.forEach((name, value) -> print(name, value, width, out));
        }
    }

    /** One attribute: a value on its line; a list or rows one element or row a line, indented below. */
    private static void print(String name, Object value, int width, PrintStream out) {
        String label = String.format("%-" + width + "s  ", name);
        if (value instanceof String[]) {
            String[] items = (String[]) value;
            out.println(label + (items.length == 0 ? "none" : items.length + ":"));
            for (String item : items) {
                out.println("    " + item);
            }
        } else if (value instanceof Collection) {
            Collection<?> rows = (Collection<?>) value;
            out.println(label + (rows.isEmpty() ? "none" : rows.size() + " row(s):"));
            for (Object row : rows) {
                StringBuilder line = new StringBuilder("    ");
                Json.fields((CompositeData) row).forEach((k, v) -> line.append(k).append('=').append(v).append(' '));
                out.println(line.toString().stripTrailing());
            }
        } else {
            out.println(label + value);
        }
    }
}
