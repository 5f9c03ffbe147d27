package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * Same-address {@code rebind()} under connection churn, with and without {@code net.ipv4.tcp_migrate_req}.
 * The setting is per network namespace, so each half runs in a child JVM inside a namespace of its own
 * ({@code unshare -n}, with loopback up and the setting written there only): the host's sysctls are
 * never touched. Without the rights for that, the host namespace is measured as it is, and said so.
 */
final class RebindBench {
    static final String CHILD_FLAG = "--rebind-child";
    private static final String MIGRATE_REQ = "/proc/sys/net/ipv4/tcp_migrate_req";
    private static final int CHURN_THREADS = 2;
    private static final int WARMUP_REBINDS = 10;
    private static final long PAUSE_BETWEEN_REBINDS_MILLIS = 10;
    private static final long CHILD_TIMEOUT_SECONDS = 180;
    private static final int MAX_ABSENT = 1_000;
    private static final String NAMESPACE_FAILURE = "namespace: ";
    /** What the agent prints when -javaagent cannot configure it. */
    private static final String AGENT_REFUSED = "continues without hotbind";

    private RebindBench() {
    }

    /** What one namespace measured: the rebind half and the replacement half. */
    record Half(RebindRun rebind, ReplacementBench.Run replacement) {
    }

    /** Both halves: tcp_migrate_req 0 and 1, each in its own namespace where possible. */
    static List<Half> run(Setup setup) throws IOException, InterruptedException {
        List<Half> halves = new ArrayList<>();
        for (int migrate : new int[] {0, 1}) {
            Report.progress("rebind and replacement under churn, tcp_migrate_req=" + migrate);
            Half inNamespace = inNamespace(setup, migrate);
            String failure = inNamespace.rebind().failure();
            if (failure != null && failure.startsWith(NAMESPACE_FAILURE)) {
                int host = hostMigrateReq();
                if (host == migrate) {
                    halves.add(measureBoth(setup, "host namespace (" + failure + ")"));
                } else {
                    String why = failure + "; the host namespace has tcp_migrate_req=" + host;
                    halves.add(new Half(RebindRun.failed(migrate, "-", why), ReplacementBench.Run.failed(migrate, why)));
                }
            } else {
                halves.add(inNamespace);
            }
        }
        return halves;
    }

    /** The host's setting as this process sees it, -1 where the kernel has none. */
    static int hostMigrateReq() {
        try {
            return Integer.parseInt(Files.readString(Path.of(MIGRATE_REQ)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The child's side: measures in the namespace it was started in and prints one line per half. */
    static void child(Setup setup) throws InterruptedException {
        Half half = measureBoth(setup, "own network namespace (unshare -n)");
        System.out.println(half.rebind().toLine());
        System.out.println(half.replacement().toLine());
    }

    private static Half measureBoth(Setup setup, String where) throws InterruptedException {
        int migrate = hostMigrateReq();
        RebindRun rebind;
        ReplacementBench.Run replacement;
        try {
            rebind = measure(setup, migrate, where);
        } catch (IOException | RuntimeException e) {
            rebind = RebindRun.failed(migrate, where, e.toString());
        }
        try {
            replacement = ReplacementBench.measure(setup, migrate);
        } catch (IOException | RuntimeException e) {
            replacement = ReplacementBench.Run.failed(migrate, e.toString());
        }
        return new Half(rebind, replacement);
    }

    private static Half inNamespace(Setup setup, int migrate) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("unshare", "-n", "--", "sh", "-c",
                "ip link set lo up && sysctl -q -w net.ipv4.tcp_migrate_req=" + migrate + " && exec \"$@\"", "sh",
                setup.java().toString(),
                "-Dhotbind.agent.jar=" + setup.agentJar(),
                "-Dhotbind.bench.server.jar=" + setup.serverJar(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), CHILD_FLAG));
        if (setup.quick()) {
            command.add("--quick");
        }
        command.add("--java");
        command.add(setup.java().toString());
        StringBuilder output = new StringBuilder();
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            watchdog(child);
            String rebind = null;
            String replacement = null;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(RebindRun.LINE_PREFIX)) {
                        rebind = line;
                    } else if (line.startsWith(ReplacementBench.Run.LINE_PREFIX)) {
                        replacement = line;
                    } else {
                        output.append(line).append('\n');
                    }
                }
            }
            child.waitFor();
            if (rebind != null && replacement != null) {
                return new Half(RebindRun.parse(rebind), ReplacementBench.Run.parse(replacement));
            }
            return namespaceFailed(migrate, "no result from the child in its own namespace (unshare -n, ip or sysctl "
                    + "failed: they need root; or the child died or timed out): " + output.toString().trim());
        } catch (IOException e) {
            return namespaceFailed(migrate, "cannot run unshare: " + e.getMessage());
        }
    }

    /** Bounds the child: past the timeout it is killed, which ends the reading of its output. */
    private static void watchdog(Process child) {
        Thread t = new Thread(() -> {
            try {
                if (!child.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    child.destroyForcibly();
                }
            } catch (InterruptedException e) {
                child.destroyForcibly();
            }
        }, "hotbind-bench-watchdog");
        t.setDaemon(true);
        t.start();
    }

    private static Half namespaceFailed(int migrate, String why) {
        return new Half(RebindRun.failed(migrate, "-", NAMESPACE_FAILURE + why), ReplacementBench.Run.failed(migrate, why));
    }

    private static RebindRun measure(Setup setup, int migrate, String where) throws IOException, InterruptedException {
        try (ServerJvm server = ServerJvm.start("rebind", setup, setup.agentJar(), "", 0)) {
            MBeanServerConnection jmx = server.jmx();
            ObjectName listener = awaitListener(jmx, server.port());
            if (!hasOperation(jmx, listener, "rebind")) {
                return RebindRun.failed(migrate, where, "this agent build has no rebind() operation on its "
                        + "Listener MBean (issue 3 not merged)");
            }
            Load load = Load.start(Load.Kind.CHURN, server.port(), CHURN_THREADS);
            Rebinder rebinder = new Rebinder(jmx, listener, server.port());
            try {
                Thread.sleep(setup.warmup().toMillis());
                for (int i = 0; i < WARMUP_REBINDS; i++) {
                    rebinder.rebind();
                }
                rebinder.clear();
                long failuresBefore = server.stats().acceptFailures();
                load.clearCounts();
                for (int i = 0; i < setup.rebinds(); i++) {
                    rebinder.readAttribute();
                    rebinder.rebind();
                    Thread.sleep(PAUSE_BETWEEN_REBINDS_MILLIS);
                }
                Thread.sleep(PAUSE_BETWEEN_REBINDS_MILLIS * 10);
                Load.Counts counts = load.stop();
                long acceptFailures = server.stats().acceptFailures() - failuresBefore;
                return rebinder.result(migrate, where, counts, acceptFailures, null);
            } catch (Exception e) {
                Load.Counts counts = load.stop();
                return rebinder.result(migrate, where, counts, 0,
                        "rebind " + (rebinder.jmxMicros.size() + 1) + " failed: " + e);
            }
        }
    }

    /** Calls rebind() over JMX as an operator would, timing each call. */
    private static final class Rebinder {
        private final MBeanServerConnection jmx;
        private final int port;
        private ObjectName listener;
        private final List<Double> jmxMicros = new ArrayList<>();
        private final List<Double> agentMicros = new ArrayList<>();
        private final List<Double> attributeMicros = new ArrayList<>();
        private long mbeanAbsent;

        Rebinder(MBeanServerConnection jmx, ObjectName listener, int port) {
            this.jmx = jmx;
            this.listener = listener;
            this.port = port;
        }

        /**
         * One rebind. The agent re-publishes a listener's MBean after each operation; a call landing in
         * that moment finds no MBean, is counted, and is repeated on the MBean once it is back.
         */
        void rebind() throws Exception {
            while (true) {
                long start = System.nanoTime();
                try {
                    String answer = String.valueOf(jmx.invoke(listener, "rebind", new Object[0], new String[0]));
                    jmxMicros.add((System.nanoTime() - start) / 1e3);
                    agentMicros.add(RebindRun.reportedMicros(answer));
                    return;
                } catch (javax.management.InstanceNotFoundException republishing) {
                    if (++mbeanAbsent > MAX_ABSENT) {
                        throw republishing;
                    }
                    listener = awaitListener(jmx, port);
                }
            }
        }

        /** A plain attribute read, for the scale of a JMX round trip on this machine now. */
        void readAttribute() throws Exception {
            long start = System.nanoTime();
            try {
                jmx.getAttribute(listener, "State");
                attributeMicros.add((System.nanoTime() - start) / 1e3);
            } catch (javax.management.InstanceNotFoundException republishing) {
                mbeanAbsent++;
                listener = awaitListener(jmx, port);
            }
        }

        void clear() {
            jmxMicros.clear();
            agentMicros.clear();
            attributeMicros.clear();
            mbeanAbsent = 0;
        }

        RebindRun result(int migrate, String where, Load.Counts counts, long acceptFailures, String failure) {
            return new RebindRun(migrate, where, jmxMicros, agentMicros, attributeMicros, mbeanAbsent, counts,
                    acceptFailures, failure);
        }
    }

    private static boolean hasOperation(MBeanServerConnection jmx, ObjectName name, String operation)
            throws IOException {
        try {
            for (MBeanOperationInfo op : jmx.getMBeanInfo(name).getOperations()) {
                if (op.getName().equals(operation)) {
                    return true;
                }
            }
            return false;
        } catch (javax.management.JMException e) {
            throw new IOException("reading the operations of " + name + ": " + e, e);
        }
    }

    /** The agent's Listener MBean for {@code port}; it appears once the agent saw the bind. */
    static ObjectName awaitListener(MBeanServerConnection jmx, int port) throws IOException, InterruptedException {
        return awaitListener(jmx, port, null);
    }

    /** As above, giving up at once when {@code server}'s agent refused to start (a bad option, say). */
    static ObjectName awaitListener(MBeanServerConnection jmx, int port, ServerJvm server)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (server != null && server.stderr().contains(AGENT_REFUSED)) {
                throw new IOException("the agent did not start in the " + server.label() + " server JVM: "
                        + server.stderr().trim());
            }
            try {
                for (ObjectName name : jmx.queryNames(new ObjectName("dev.hotbind:type=Listener,*"), null)) {
                    if (Integer.valueOf(port).equals(jmx.getAttribute(name, "LocalPort"))) {
                        return name;
                    }
                }
            } catch (javax.management.JMException e) {
                // a listener MBean being re-registered: look again
            }
            Thread.sleep(50);
        }
        throw new IOException("no dev.hotbind Listener MBean for port " + port + " within 30 s");
    }
}
