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
 * Runs the rebind and replacement halves once with {@code net.ipv4.tcp_migrate_req=0} and once with 1.
 * The setting is per network namespace, so each half runs in a child JVM inside a namespace of its own
 * ({@code unshare -n}, with loopback up and the setting written there only): the host's sysctls are
 * never touched. Without the rights for that, the host namespace is measured as it is, and said so.
 */
final class Namespaces {
    static final String CHILD_FLAG = "--namespace-child";
    private static final String MIGRATE_REQ = "/proc/sys/net/ipv4/tcp_migrate_req";
    /** 1,000 rebinds and 20 JVM handovers take ~3 minutes on a quiet 2-core machine, several times that loaded. */
    private static final long CHILD_TIMEOUT_SECONDS = 1_200;
    private static final String NAMESPACE_FAILURE = "namespace: ";

    private Namespaces() {
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
            rebind = RebindBench.measure(setup, migrate, where);
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
            if (child.exitValue() == KILLED_EXIT) {
                return namespaceFailed(migrate, "the child in its own namespace was killed after the "
                        + CHILD_TIMEOUT_SECONDS + " s limit: " + output.toString().trim());
            }
            return namespaceFailed(migrate, "no result from the child in its own namespace (unshare -n, ip or sysctl "
                    + "failed: they need root; or the child died, exit " + child.exitValue() + "): "
                    + output.toString().trim());
        } catch (IOException e) {
            return namespaceFailed(migrate, "cannot run unshare: " + e.getMessage());
        }
    }

    /** Bounds the child: past the timeout it is killed, which ends the reading of its output. */
    /** What a process killed by SIGKILL exits with, as Java reports it. */
    private static final int KILLED_EXIT = 137;

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
}
