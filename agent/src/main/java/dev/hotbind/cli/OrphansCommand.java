package dev.hotbind.cli;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.openmbean.CompositeData;

/**
 * {@code orphans <pid>}: the latest audit's findings, one table per kind as {@code ss} prints one per
 * socket kind: accept threads left on closed listeners, listeners nobody accepts from, connections
 * left behind, listening sockets hotbind has not seen, and listeners whose accept queue was found full.
 */
final class OrphansCommand {
    private OrphansCommand() {
    }

    static void run(Args args, PrintStream out) throws CliError {
        long pid = args.expect(1, 1).pid(0);
        try (TargetConnection target = TargetConnection.attach(pid)) {
            HotbindMBeans.in(target);
            MBeanReads reads = new MBeanReads(target);
            Map<String, Object> audit = reads.attributes(MBeanReads.AGENT, List.of("AuditCount", "LastAuditAt"));
            List<CompositeData> threads = reads.agentRows("OrphanedAcceptThreads");
            List<CompositeData> listeners = reads.agentRows("OrphanedListeners");
            List<CompositeData> connections = reads.readRows(MBeanReads.AGENT, "orphanedConnections");
            List<CompositeData> unmanaged = reads.agentRows("UnmanagedListeners");
            // not an orphan, but the same audit's finding; an agent older than this command has no such table
            List<CompositeData> saturated = reads.attributes(MBeanReads.AGENT, List.of("SaturatedListeners"))
                    .containsKey("SaturatedListeners") ? reads.agentRows("SaturatedListeners") : null;
            if (args.json()) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("pid", pid);
                doc.put("auditCount", audit.get("AuditCount"));
                doc.put("lastAuditAt", audit.get("LastAuditAt"));
                doc.put("orphanedAcceptThreads", threads);
                doc.put("orphanedListeners", listeners);
                doc.put("orphanedConnections", connections);
                doc.put("unmanagedListeners", unmanaged);
                if (saturated != null) {
                    doc.put("saturatedListeners", saturated);
                }
                out.print(Json.of(doc));
                return;
            }
            out.println("pid " + pid + ": audit #" + audit.get("AuditCount") + " at " + audit.get("LastAuditAt"));
            Table t = new Table("THREAD ID", "THREAD", "STATE", "LISTENER", "FAILED CALLS", "PER SECOND", "SINCE",
                    "REASON");
            threads.forEach(r -> t.row(r.get("threadId"), r.get("thread"), r.get("threadState"),
                    "#" + r.get("listenerId") + " " + r.get("listenerAddress"), r.get("failedCalls"),
                    String.format(java.util.Locale.ROOT, "%.1f", (Double) r.get("failuresPerSecond")),
                    r.get("since"), r.get("reason")));
            section("orphaned accept threads", t, out);
            Table l = new Table("LISTENER", "ADDRESS", "QUEUE", "BACKLOG", "LAST ACCEPT THREAD", "LAST ACCEPT",
                    "SINCE", "REASON");
            listeners.forEach(r -> l.row("#" + r.get("listenerId"), r.get("address"), r.get("acceptQueueDepth"),
                    r.get("backlog"), r.get("lastAcceptThread"), r.get("lastAcceptAt"), r.get("since"),
                    r.get("reason")));
            section("orphaned listeners", l, out);
            Table c = new Table("ID", "LISTENER", "REMOTE", "LOCAL", "TCP STATE", "STATE", "AGE", "SINCE", "REASON");
            connections.forEach(r -> c.row(r.get("id"), "#" + r.get("listenerId") + " " + r.get("listenerAddress"),
                    r.get("remoteAddress"), r.get("localAddress"), r.get("kernelState"), r.get("state"),
                    ListenerCommands.age((Long) r.get("ageMillis")), r.get("since"), r.get("reason")));
            section("orphaned connections", c, out);
            Table u = new Table("INODE", "FD", "ADDRESS", "QUEUE", "REASON");
            unmanaged.forEach(r -> u.row(r.get("inode"), r.get("fd"), r.get("address"), r.get("acceptQueueDepth"),
                    r.get("reason")));
            section("unmanaged listeners", u, out);
            if (saturated != null) {
                Table s = new Table("LISTENER", "ADDRESS", "QUEUE", "BACKLOG", "SEEN FULL", "SINCE", "LAST FULL",
                        "SUGGESTION");
                saturated.forEach(r -> s.row("#" + r.get("listenerId"), r.get("address"), r.get("acceptQueueDepth"),
                        r.get("backlog"), r.get("timesSeenFull"), r.get("since"), r.get("lastSeenFull"),
                        r.get("suggestion")));
                section("saturated listeners (accept queue found full)", s, out);
            }
        }
    }

    private static void section(String title, Table table, PrintStream out) {
        out.println();
        out.println(title + ": " + (table.size() == 0 ? "none" : table.size()));
        if (table.size() > 0) {
            out.print(table);
        }
    }
}
