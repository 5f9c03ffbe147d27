package dev.hotbind.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the rebind and replacement halves once with {@code net.ipv4.tcp_migrate_req=0} and once with 1,
 * and the accept-models rebinds with 0. The setting is per network namespace, so each runs in a child
 * JVM inside a namespace of its own ({@code unshare -n}, with loopback up and the setting written there
 * only): the host's sysctls are never touched. Without the rights for that, the host namespace is
 * measured as it is where its setting is the one wanted, and said so.
 */
final class Namespaces {
    /** The child flag of part 4 (rebind and replacement halves). */
    static final String CHILD_FLAG = "--namespace-child";
    /** The child flag of the accept-models part. */
    static final String MODELS_CHILD_FLAG = "--namespace-child-models";
    /** What a child prints once it printed all its results. */
    private static final String CHILD_DONE = "namespace-child done";
    private static final String MIGRATE_REQ = "/proc/sys/net/ipv4/tcp_migrate_req";
    /**
     * 1,000 rebinds, 20 JVM handovers with the agent and 20 without: measured 8 minutes per child at load
     * average 45 on 2 cores; the limit leaves room for more load.
     */
    private static final long CHILD_TIMEOUT_SECONDS = 1_800;
    private static final String NAMESPACE_FAILURE = "namespace: ";
    private static final String OWN_NAMESPACE = "own network namespace (unshare -n)";

    private Namespaces() {
    }

    /**
     * What one namespace measured: the rebind half and the replacement half, hotbind's chain and the
     * no-agent control's.
     */
    record Half(RebindRun rebind, ReplacementBench.Run replacement, ReplacementBench.Run control) {
    }

    /** Both halves: tcp_migrate_req 0 and 1, each in its own namespace where possible. */
    static List<Half> run(Setup setup) throws IOException, InterruptedException {
        List<Half> halves = new ArrayList<>();
        for (int migrate : new int[] {0, 1}) {
            Report.progress("rebind and replacement under churn, tcp_migrate_req=" + migrate);
            Child child = inNamespace(setup, migrate, CHILD_FLAG);
            if (child.failure() == null) {
                halves.add(new Half(RebindRun.parse(child.line(RebindRun.LINE_PREFIX)),
                        child.replacement(ReplacementBench.Handover.HOTBIND),
                        child.replacement(ReplacementBench.Handover.APPLICATION)));
            } else if (hostMigrateReq() == migrate) {
                halves.add(measureBoth(setup, "host namespace (" + NAMESPACE_FAILURE + child.failure() + ")"));
            } else {
                String why = NAMESPACE_FAILURE + child.failure() + "; the host namespace has tcp_migrate_req="
                        + hostMigrateReq();
                halves.add(new Half(RebindRun.failed(migrate, "-", why),
                        ReplacementBench.Run.failed(migrate, why, ReplacementBench.Handover.HOTBIND),
                        ReplacementBench.Run.failed(migrate, why, ReplacementBench.Handover.APPLICATION)));
            }
        }
        return halves;
    }

    /**
     * The accept-models rebinds with tcp_migrate_req=0 only, the setting almost every host has (with
     * migration the kernel moves a closing listener's queue, which part 4 measures): in its own namespace
     * where possible.
     */
    static List<RebindRun> runModels(Setup setup) throws IOException, InterruptedException {
        Child child = inNamespace(setup, 0, MODELS_CHILD_FLAG);
        if (child.failure() == null) {
            return child.lines().stream().filter(l -> l.startsWith(RebindRun.LINE_PREFIX)).map(RebindRun::parse).toList();
        }
        String why = NAMESPACE_FAILURE + child.failure();
        if (hostMigrateReq() == 0) {
            return RebindBench.models(setup, 0, "host namespace (" + why + ")");
        }
        return List.of(RebindRun.failed(0, "-", why + "; the host namespace has tcp_migrate_req=" + hostMigrateReq()));
    }

    /** The host's setting as this process sees it, -1 where the kernel has none. */
    static int hostMigrateReq() {
        try {
            return Integer.parseInt(Files.readString(Path.of(MIGRATE_REQ)).trim());
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** The child's side of part 4: measures in the namespace it was started in and prints one line per half. */
    static void child(Setup setup) throws InterruptedException {
        Half half = measureBoth(setup, OWN_NAMESPACE);
        System.out.println(half.rebind().toLine());
        System.out.println(half.replacement().toLine());
        System.out.println(half.control().toLine());
        System.out.println(CHILD_DONE);
    }

    /** The child's side of the accept-models part: one line per accept model and agent mode. */
    static void modelsChild(Setup setup) throws InterruptedException {
        for (RebindRun run : RebindBench.models(setup, hostMigrateReq(), OWN_NAMESPACE)) {
            System.out.println(run.toLine());
        }
        System.out.println(CHILD_DONE);
    }

    private static Half measureBoth(Setup setup, String where) throws InterruptedException {
        int migrate = hostMigrateReq();
        RebindRun rebind;
        try {
            rebind = RebindBench.measure(setup, migrate, where);
        } catch (IOException | RuntimeException e) {
            rebind = RebindRun.failed(migrate, where, e.toString());
        }
        return new Half(rebind, replacement(setup, migrate, ReplacementBench.Handover.HOTBIND),
                replacement(setup, migrate, ReplacementBench.Handover.APPLICATION));
    }

    private static ReplacementBench.Run replacement(Setup setup, int migrate, ReplacementBench.Handover handover)
            throws InterruptedException {
        Report.progress("replacement chain, " + handover.title + ", tcp_migrate_req=" + migrate);
        try {
            return ReplacementBench.measure(setup, migrate, handover);
        } catch (IOException | RuntimeException e) {
            return ReplacementBench.Run.failed(migrate, e.toString(), handover);
        }
    }

    /** A child's result lines (those it printed after its progress), or why there are none. */
    private record Child(List<String> lines, String failure) {
        String line(String prefix) {
            return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
        }

        ReplacementBench.Run replacement(ReplacementBench.Handover handover) {
            return lines.stream().filter(l -> l.startsWith(ReplacementBench.Run.LINE_PREFIX))
                    .map(ReplacementBench.Run::parse).filter(r -> r.handover() == handover).findFirst().orElseThrow();
        }
    }

    /** Runs Main with {@code flag} in a network namespace of its own with tcp_migrate_req={@code migrate}. */
    private static Child inNamespace(Setup setup, int migrate, String flag) throws InterruptedException {
        List<String> command = new ArrayList<>(List.of("unshare", "-n", "--", "sh", "-c",
                "ip link set lo up && sysctl -q -w net.ipv4.tcp_migrate_req=" + migrate + " && exec \"$@\"", "sh",
                setup.java().toString(),
                "-Dhotbind.agent.jar=" + setup.agentJar(),
                "-Dhotbind.bench.server.jar=" + setup.serverJar(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), flag));
        if (setup.quick()) {
            command.add("--quick");
        }
        command.add("--java");
        command.add(setup.java().toString());
        StringBuilder output = new StringBuilder();
        List<String> results = new ArrayList<>();
        boolean done = false;
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
            watchdog(child);
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith(RebindRun.LINE_PREFIX) || line.startsWith(ReplacementBench.Run.LINE_PREFIX)) {
                        results.add(line);
                    } else if (line.equals(CHILD_DONE)) {
                        done = true;
                    } else {
                        // the child's progress lines, passed on as they come
                        System.err.println(line);
                        output.append(line).append('\n');
                    }
                }
            }
            child.waitFor();
            if (done) {
                return new Child(results, null);
            }
            if (child.exitValue() == KILLED_EXIT) {
                return new Child(List.of(), "the child in its own namespace was killed after the "
                        + CHILD_TIMEOUT_SECONDS + " s limit: " + output.toString().trim());
            }
            return new Child(List.of(), "no result from the child in its own namespace (unshare -n, ip or sysctl "
                    + "failed: they need root; or the child died, exit " + child.exitValue() + "): "
                    + output.toString().trim());
        } catch (IOException e) {
            return new Child(List.of(), "cannot run unshare: " + e.getMessage());
        }
    }

    /** What a process killed by SIGKILL exits with, as Java reports it. */
    private static final int KILLED_EXIT = 137;

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
}
