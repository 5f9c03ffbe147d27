package dev.hotbind.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Part 6: what {@code -javaagent} adds to a JVM's start, and what the CLI's {@code attach}, a first
 * {@code list} (which starts the JDK's local JMX connector in the target) and a second one cost. Every child JVM runs under {@code /usr/bin/time}, which reports the whole
 * process's CPU time (user + system, all threads, until exit) and peak resident memory; wall time is
 * measured here, from start to exit. Runs alternate agent / no agent (agent first in even pairs).
 */
final class StartupBench {
    private static final Path TIME = Path.of("/usr/bin/time");
    private static final String TARGET = "dev.hotbind.bench.server.StartupTarget";
    private static final int PHASE_RUNS = 3;
    private static final long CHILD_TIMEOUT_SECONDS = 120;
    /** Issue 9: the discovery walk is measured with this many open connections (ulimit -n is 20,000 here). */
    private static final int CROWD_CONNECTIONS = 10_000;
    private static final String SAFEPOINT = "Safepoint \"";

    /** One process: wall and CPU time in ms, peak RSS in MiB. */
    record Figures(double wallMillis, double cpuMillis, double peakMiB) {
    }

    /** The same start measured with and without the agent, pair by pair. */
    record Pairs(List<Figures> plain, List<Figures> agent) {
        double median(List<Figures> side, java.util.function.ToDoubleFunction<Figures> figure) {
            return Stats.median(side.stream().map(f -> figure.applyAsDouble(f)).toList());
        }
    }

    /**
     * Attach, the first list (it starts the target's local JMX connector) and the next (the connector is up):
     * the CLI processes, and the CPU the target spent during the attach.
     */
    record Attach(List<Figures> attach, List<Figures> list, List<Figures> listAgain, List<Double> targetCpuMillis,
                  List<Double> discoveryMillis) {
    }

    /**
     * An attach to a JVM whose listener holds {@code connections} accepted connections: the CLI process,
     * the discovery's walk, and the safepoints the target logged from the attach to the walk's end, by
     * operation: count and longest pause in ms (the walk itself asks for none).
     */
    record Crowd(int connections, Figures attach, double discoveryMillis, Map<String, double[]> safepoints) {
    }

    record Result(int pairs, Pairs trivial, Pairs server, Attach attach, Crowd crowd, Map<String, Double> phases) {
    }

    private StartupBench() {
    }

    static boolean available() {
        return Files.isExecutable(TIME);
    }

    static Result run(Setup setup) throws IOException, InterruptedException {
        int pairs = setup.quick() ? 5 : 10;
        Pairs trivial = pairs(setup, pairs, "trivial");
        Pairs server = pairs(setup, pairs, "server");
        Attach attach = attach(setup, pairs);
        Crowd crowd = crowd(setup, CROWD_CONNECTIONS);
        return new Result(pairs, trivial, server, attach, crowd, phases(setup));
    }

    private static Pairs pairs(Setup setup, int pairs, String mode) throws IOException, InterruptedException {
        List<Figures> plain = new ArrayList<>();
        List<Figures> agent = new ArrayList<>();
        Report.progress("start-up: " + pairs + " pairs of a '" + mode + "' main, agent / no agent");
        for (int i = 0; i < pairs; i++) {
            boolean agentFirst = i % 2 == 0;
            for (int side = 0; side < 2; side++) {
                boolean withAgent = (side == 0) == agentFirst;
                (withAgent ? agent : plain).add(timed(javaCommand(setup, withAgent, mode)));
            }
        }
        return new Pairs(plain, agent);
    }

    private static Attach attach(Setup setup, int runs) throws IOException, InterruptedException {
        List<Figures> attach = new ArrayList<>();
        List<Figures> list = new ArrayList<>();
        List<Figures> listAgain = new ArrayList<>();
        List<Double> targetCpu = new ArrayList<>();
        List<Double> discovery = new ArrayList<>();
        Report.progress("attach: " + runs + " idle target JVMs, CLI attach then list twice");
        for (int i = 0; i < runs; i++) {
            Process target = new ProcessBuilder(javaCommand(setup, false, "idle")).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(),
                        StandardCharsets.UTF_8));
                if (!"ready".equals(out.readLine())) {
                    throw new IOException("the idle target did not start");
                }
                String pid = Long.toString(target.pid());
                Duration before = cpu(target);
                attach.add(timed(setup.cli("attach", pid)));
                targetCpu.add((cpu(target).minus(before)).toNanos() / 1e6);
                discovery.add(discoveryMillis(out, new LinkedHashMap<>()));
                list.add(timed(setup.cli("list", pid)));
                listAgain.add(timed(setup.cli("list", pid)));
            } finally {
                target.getOutputStream().close();
                target.destroy();
                target.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        }
        return new Attach(attach, list, listAgain, targetCpu, discovery);
    }

    /**
     * One attach to a target holding {@code connections} accepted connections; the client ends live here.
     * The target logs its safepoints ({@code -Xlog:safepoint}), so what stopped its threads shows by name.
     */
    private static Crowd crowd(Setup setup, int connections) throws IOException, InterruptedException {
        Report.progress("attach: an idle target JVM holding " + connections + " accepted connections");
        List<String> command = javaCommand(setup, false, "holding");
        command.add(1, "-Xlog:safepoint=info:stdout");
        command.add(String.valueOf(connections));
        Process target = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<Socket> clients = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(target.getInputStream(),
                    StandardCharsets.UTF_8));
            int port = Integer.parseInt(awaitLine(out, "port ").substring("port ".length()));
            for (int i = 0; i < connections; i++) {
                clients.add(new Socket(InetAddress.getLoopbackAddress(), port));
            }
            awaitLine(out, "ready");
            Figures attach = timed(setup.cli("attach", Long.toString(target.pid())));
            Map<String, double[]> safepoints = new LinkedHashMap<>();
            return new Crowd(connections, attach, discoveryMillis(out, safepoints), safepoints);
        } finally {
            for (Socket c : clients) {
                c.close();
            }
            target.getOutputStream().close();
            target.destroy();
            target.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The first line of the target's output that starts with {@code prefix}, the safepoint log skipped. */
    private static String awaitLine(BufferedReader targetOutput, String prefix) throws IOException {
        for (String line = targetOutput.readLine(); line != null; line = targetOutput.readLine()) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IOException("the target ended before printing '" + prefix + "'");
    }

    /**
     * The discovery's own time, as the agent prints it in the target when the attach returns; the
     * safepoints logged before it are counted into {@code safepoints} (count, longest ms) by operation.
     */
    private static double discoveryMillis(BufferedReader targetOutput, Map<String, double[]> safepoints)
            throws IOException {
        String prefix = "hotbind: found at the attach in ";
        for (String line = targetOutput.readLine(); line != null; line = targetOutput.readLine()) {
            int found = line.indexOf(prefix);
            if (found >= 0) {
                int begin = found + prefix.length();
                return Double.parseDouble(line.substring(begin, line.indexOf(" ms", begin)));
            }
            int safepoint = line.indexOf(SAFEPOINT);
            int total = line.indexOf("Total: "); // JDK 25 adds "Threads: ..." after it
            if (safepoint >= 0 && total >= 0) {
                int begin = safepoint + SAFEPOINT.length();
                String operation = line.substring(begin, line.indexOf('"', begin));
                int nanos = total + "Total: ".length();
                double millis = Long.parseLong(line.substring(nanos, line.indexOf(" ns", nanos))) / 1e6;
                double[] seen = safepoints.computeIfAbsent(operation, k -> new double[2]);
                seen[0]++;
                seen[1] = Math.max(seen[1], millis);
            }
        }
        throw new IOException("the target ended without the agent's discovery line");
    }

    /** Median of each phase over a few runs of the {@code phases} target, in the order the agent records them. */
    private static Map<String, Double> phases(Setup setup) throws IOException, InterruptedException {
        Report.progress("start-up phases: " + PHASE_RUNS + " runs reading the agent's StartupPhases");
        Map<String, List<Double>> all = new LinkedHashMap<>();
        for (int i = 0; i < PHASE_RUNS; i++) {
            Process p = new ProcessBuilder(javaCommand(setup, true, "phases")).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            for (String line : output.split("\n")) {
                if (line.startsWith("phase ") && line.endsWith(" ms")) {
                    int colon = line.lastIndexOf(": ");
                    all.computeIfAbsent(line.substring("phase ".length(), colon), k -> new ArrayList<>())
                            .add(Double.parseDouble(line.substring(colon + 2, line.length() - " ms".length())));
                }
            }
        }
        Map<String, Double> medians = new LinkedHashMap<>();
        all.forEach((phase, values) -> medians.put(phase, Stats.median(values)));
        return medians;
    }

    private static List<String> javaCommand(Setup setup, boolean withAgent, String mode) {
        List<String> command = new ArrayList<>(List.of(setup.java().toString()));
        if (withAgent) {
            command.add("-javaagent:" + setup.agentJar());
        }
        command.addAll(List.of("-cp", setup.serverJar().toString(), TARGET, mode));
        return command;
    }

    private static Duration cpu(Process process) {
        return process.info().totalCpuDuration().orElse(Duration.ZERO);
    }

    /** Runs {@code command} under /usr/bin/time; fails unless it exits with 0. */
    private static Figures timed(List<String> command) throws IOException, InterruptedException {
        Path figures = Files.createTempFile("hotbind-startup-", ".time");
        try {
            List<String> wrapped = new ArrayList<>(List.of(TIME.toString(), "-f", "%U %S %M", "-o", figures.toString()));
            wrapped.addAll(command);
            long begun = System.nanoTime();
            Process p = new ProcessBuilder(wrapped).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("failed: " + String.join(" ", command) + "\n" + output);
            }
            double wall = (System.nanoTime() - begun) / 1e6;
            String[] f = Files.readAllLines(figures).get(0).trim().split(" ");
            return new Figures(wall, 1000 * (Double.parseDouble(f[0]) + Double.parseDouble(f[1])),
                    Double.parseDouble(f[2]) / 1024);
        } finally {
            Files.deleteIfExists(figures);
        }
    }
}
