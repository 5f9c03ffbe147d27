package dev.hotbind.bench;

import dev.hotbind.bench.jmh.AcceptPathRun;
import dev.hotbind.bench.load.Load;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;

/** The benchmark's table on stdout; progress on stderr, so the table can be kept on its own. */
final class Report {
    static final double CHURN_TARGET = 1.03;
    static final double KEEP_ALIVE_TARGET = 1.01;
    /** Issue 10's targets for a same-address rebind, agent-reported, on a quiet machine. */
    private static final double REBIND_MEDIAN_TARGET_MICROS = 200;
    private static final double REBIND_P99_TARGET_MICROS = 5_000;

    private Report() {
    }

    private static final long STARTED = System.nanoTime();

    static void progress(String line) {
        System.err.println(f("  [%4.0f s] %s", (System.nanoTime() - STARTED) / 1e9, line));
    }

    static String rate(Comparison.Sample s) {
        return f("%,.0f/s %.1f µs CPU", s.perSecond(), s.cpuNanosPerOp() / 1e3);
    }

    static void header(Setup setup, String serverJdk) {
        out("hotbind benchmark (" + (setup.quick() ? "--quick" : "full") + ")");
        out("  server JDK:       " + serverJdk);
        out("  driver JDK:       " + System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        out("  machine:          " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch") + ", " + Runtime.getRuntime().availableProcessors() + " CPUs");
        int migrate = Namespaces.hostMigrateReq();
        out("  net.ipv4.tcp_migrate_req (host namespace): " + (migrate < 0 ? "not available" : migrate));
        out("  server JVMs:      " + String.join(" ", Setup.SERVER_JVM_OPTIONS)
                + "; blocking ServerSocket, accept thread + 8-thread pool, 127.0.0.1");
        out("  agent:            " + setup.agentJar());
        out("  method:           " + setup.pairs() + " agent / no-agent pairs of " + setup.run().toMillis()
                + " ms per JVM, taken in alternating slices of " + Comparison.SLICE.toMillis() + " ms, after a "
                + setup.warmup().toMillis() + " ms warm-up of each; medians; ratios per pair");
        out("");
    }

    static void comparison(String title, String unit, Comparison.Result r, double target) {
        out(title);
        out(f("  %-34s %14s %14s %16s", "", "no agent", "agent", "agent / no agent"));
        double plainRate = Comparison.Result.medianPerSecond(r.plain());
        double agentRate = Comparison.Result.medianPerSecond(r.agent());
        out(f("  %-34s %14s %14s", unit + "s/s (median)", f("%,.0f", plainRate), f("%,.0f", agentRate)));
        out(f("  %-34s %14s %14s %16s   target <= %.2f: %s", "wall time per " + unit + " (1/rate)",
                f("%.2f µs", 1e6 / plainRate), f("%.2f µs", 1e6 / agentRate), f("%.3f", r.costRatio()), target,
                verdict(r.costRatio() <= target)));
        out(f("  %-34s %14s %14s %16s", "server CPU per " + unit, f("%.2f µs", Comparison.Result.medianCpu(r.plain()) / 1e3),
                f("%.2f µs", Comparison.Result.medianCpu(r.agent()) / 1e3), f("%.3f", r.cpuRatio())));
        out(f("  %-34s %14s %14s %16s", "  of which hotbind-* threads", "",
                f("%.2f µs", Stats.median(r.agent().stream().map(Comparison.Sample::hotbindCpuNanosPerOp).toList()) / 1e3),
                f("%.2f %% of all", 100 * r.hotbindShare())));
        out(f("  %-34s %14d %14d", "failed requests (all runs)",
                r.plain().stream().mapToLong(Comparison.Sample::failed).sum(),
                r.agent().stream().mapToLong(Comparison.Sample::failed).sum()));
        out("  per pair, cost ratio:  " + perPair(r, i -> r.plain().get(i).perSecond() / r.agent().get(i).perSecond()));
        out("  per pair, CPU ratio:   " + perPair(r, i -> r.agent().get(i).cpuNanosPerOp() / r.plain().get(i).cpuNanosPerOp()));
        out("");
    }

    /** A pair whose CPU ratio is above this gets its difference attributed by category. */
    static final double OUTLIER_RATIO = 1.05;

    /**
     * Where each run's server CPU went (thread categories, young collections, allocation), medians per side
     * and, per pair, what the agent run spent beyond the no-agent one in each category.
     */
    static void where(Comparison.Result r) {
        out("  where the server CPU went, per connection (threads in /proc/<pid>/task, median over runs):");
        out(f("  %-34s %14s %14s %16s", "", "no agent", "agent", "median of a - n"));
        for (String category : ThreadCpu.CATEGORIES) {
            whereRow("  " + category, r, s -> s.where().cpuNanosPerOp().get(category) / 1e3, "%.2f µs");
        }
        whereRow("  not seen (process CPU - threads)", r, s -> (s.where().processCpuNanosPerOp() - seen(s)) / 1e3,
                "%.2f µs");
        whereRow("young collections per run", r, s -> (double) s.where().youngCollections(), "%.0f");
        whereRow("allocated per connection", r, s -> s.where().allocatedBytesPerOp(), "%.0f B");
        whereRow("application threads' context", r, s -> s.where().appSwitchesPerOp(), "%.2f");
        out("    switches per connection");
        whereRow("  of their CPU, in the kernel", r, s -> s.where().appSystemNanosPerOp() / 1e3, "%.2f µs");
        whereRow("client threads' CPU (driver JVM)", r, s -> s.where().clientCpuNanosPerOp() / 1e3, "%.2f µs");
        whereRow("server + client CPU", r, s -> serverAndClient(s) / 1e3, "%.2f µs");
        out("  per pair, agent - no agent in µs CPU per connection (" + String.join(", ", ThreadCpu.CATEGORIES)
                + "), young collections agent/no agent, application threads' context switches per connection");
        out("  agent/no agent and their kernel CPU agent/no agent (µs per connection, 10 ms ticks); * CPU ratio > "
                + OUTLIER_RATIO + ", with the category that carried it:");
        for (int i = 0; i < r.plain().size(); i++) {
            Comparison.Sample a = r.agent().get(i);
            Comparison.Sample n = r.plain().get(i);
            double ratio = a.cpuNanosPerOp() / n.cpuNanosPerOp();
            StringBuilder line = new StringBuilder(f("   %s%2d %.3f ", ratio > OUTLIER_RATIO ? "*" : " ", i + 1, ratio));
            String largest = null;
            double largestDiff = Double.NEGATIVE_INFINITY;
            for (String category : ThreadCpu.CATEGORIES) {
                double diff = (a.where().cpuNanosPerOp().get(category) - n.where().cpuNanosPerOp().get(category)) / 1e3;
                line.append(f(" %+6.2f", diff));
                if (diff > largestDiff) {
                    largestDiff = diff;
                    largest = category;
                }
            }
            line.append(f("   %d/%d", a.where().youngCollections(), n.where().youngCollections()));
            line.append(f("  %.2f/%.2f sw  %.1f/%.1f  client %.1f/%.1f  sum %.3f", a.where().appSwitchesPerOp(),
                    n.where().appSwitchesPerOp(), a.where().appSystemNanosPerOp() / 1e3,
                    n.where().appSystemNanosPerOp() / 1e3, a.where().clientCpuNanosPerOp() / 1e3,
                    n.where().clientCpuNanosPerOp() / 1e3, serverAndClient(a) / serverAndClient(n)));
            if (ratio > OUTLIER_RATIO) {
                line.append(f("   %s: %+.2f of %+.2f µs", largest, largestDiff, (a.cpuNanosPerOp() - n.cpuNanosPerOp()) / 1e3));
            }
            out(line.toString());
        }
    }

    /** Both ends of the loopback connections: what the kernel charged to either side is in it. */
    private static double serverAndClient(Comparison.Sample s) {
        return s.cpuNanosPerOp() + s.where().clientCpuNanosPerOp();
    }

    private static double seen(Comparison.Sample s) {
        return s.where().cpuNanosPerOp().values().stream().mapToDouble(Double::doubleValue).sum();
    }

    private static void whereRow(String label, Comparison.Result r,
                                 java.util.function.ToDoubleFunction<Comparison.Sample> figure, String format) {
        List<Double> diffs = new java.util.ArrayList<>();
        for (int i = 0; i < r.plain().size(); i++) {
            diffs.add(figure.applyAsDouble(r.agent().get(i)) - figure.applyAsDouble(r.plain().get(i)));
        }
        out(f("  %-34s %14s %14s %16s", label,
                f(format, Stats.median(r.plain().stream().map(figure::applyAsDouble).toList())),
                f(format, Stats.median(r.agent().stream().map(figure::applyAsDouble).toList())),
                f(format.replace("%", "%+"), Stats.median(diffs))));
    }

    /** The A/A control: two identical JVMs without the agent, alternated the same way, beside the agent's pairs. */
    static void control(Comparison.Result control, Comparison.Result churn) {
        out(f("  A/A control: two identical server JVMs without the agent, %d alternating pairs the same way",
                control.plain().size()));
        out("    (the machine's own noise floor for a per-pair CPU ratio):");
        out("    per pair, CPU ratio:   " + perPair(control,
                i -> control.agent().get(i).cpuNanosPerOp() / control.plain().get(i).cpuNanosPerOp()));
        out(f("    %-28s %14s %14s", "", "A/A control", "agent / no"));
        spread("median CPU ratio", control, churn, v -> Stats.median(v));
        spread("min .. max", control, churn, v -> Double.NaN);
        spread("|ratio - 1|, median", control, churn,
                v -> Stats.median(v.stream().map(x -> Math.abs(x - 1)).toList()));
        spread("pairs above " + OUTLIER_RATIO, control, churn, v -> (double) v.stream().filter(x -> x > OUTLIER_RATIO).count());
        out("");
    }

    private static void spread(String label, Comparison.Result control, Comparison.Result churn,
                               java.util.function.Function<List<Double>, Double> figure) {
        String[] cells = new String[2];
        List<Comparison.Result> both = List.of(control, churn);
        for (int k = 0; k < 2; k++) {
            Comparison.Result r = both.get(k);
            List<Double> ratios = new java.util.ArrayList<>();
            for (int i = 0; i < r.plain().size(); i++) {
                ratios.add(r.agent().get(i).cpuNanosPerOp() / r.plain().get(i).cpuNanosPerOp());
            }
            double value = figure.apply(ratios);
            cells[k] = Double.isNaN(value)
                    ? f("%.3f .. %.3f", Stats.percentile(ratios, 0), Stats.percentile(ratios, 100))
                    : label.startsWith("pairs") ? f("%.0f of %d", value, ratios.size()) : f("%.3f", value);
        }
        out(f("    %-28s %14s %14s", label, cells[0], cells[1]));
    }

    static void agentSeen(String line) {
        out("  " + line);
        out("");
    }

    static void jmh(AcceptPathRun.Score score, Comparison.Result churn) {
        out("3. Registry work per accept (JMH 1.37, AcceptPathBenchmark.acceptAndClose: Hooks.acceptEnter +");
        out("   acceptExit with a real registered listener + connection record create and close, as the advice calls)");
        out(f("  %-48s %s", "registry work per accept, CPU", f("%.1f ns (median of %d iterations)",
                score.cpuMedian(), score.iterations())));
        out(f("  %-48s %s", "registry work per accept, wall", f("%.1f ns (median; min %.1f, max %.1f)",
                score.wallMedian(), score.wallMin(), score.wallMax())));
        if (churn == null) {
            out("  per-connection cost: not measured in this run (part 1 skipped)");
        } else {
            double cpu = Comparison.Result.medianCpu(churn.plain());
            double wall = 1e9 / Comparison.Result.medianPerSecond(churn.plain());
            out(f("  %-48s %.2f µs server CPU, %.2f µs wall", "per-connection cost (part 1, no agent)", cpu / 1e3,
                    wall / 1e3));
            out(f("  %-48s %.5f (%.3f %%) CPU to CPU; %.5f (%.3f %%) wall to wall",
                    "registry work per accept / per-connection cost", score.cpuMedian() / cpu,
                    100 * score.cpuMedian() / cpu, score.wallMedian() / wall, 100 * score.wallMedian() / wall));
        }
        out("");
    }

    static void rebind(List<RebindRun> runs, int rebinds) {
        out("4. rebind() of the same address, " + rebinds + " times under churn (" + RebindBench.CHURN_THREADS
                + " client threads, a new connection per request), " + RebindBench.PAUSE_BETWEEN_REBINDS_MILLIS
                + " ms apart, after 10 warm-up rebinds; latency as the operator sees it (JMX call) and as the agent");
        out("   reports it; then, the load stopped, " + RebindBench.MOVES + " rebindTo (there and back) and "
                + RebindBench.MOVES + " unbind()/rebind() pairs, agent-reported");
        columns(runs.stream().map(RebindRun::migrateReq).toList());
        Predicate<RebindRun> unmeasured = r -> r.jmxMicros().isEmpty();
        row(runs, r -> false, "measured in", r -> shortWhere(r.where()), "");
        row(runs, unmeasured, "rebinds done", r -> Integer.toString(r.jmxMicros().size()), "");
        row(runs, unmeasured, "same-port median, agent-reported", r -> micros(Stats.median(r.agentMicros())),
                "<= " + micros(REBIND_MEDIAN_TARGET_MICROS) + " (quiet machine)");
        row(runs, unmeasured, "same-port p99, agent-reported", r -> micros(Stats.percentile(r.agentMicros(), 99)),
                "<= " + micros(REBIND_P99_TARGET_MICROS) + " (quiet machine)");
        row(runs, unmeasured, "latency median, JMX call", r -> micros(Stats.median(r.jmxMicros())), "");
        row(runs, unmeasured, "latency p99, JMX call", r -> micros(Stats.percentile(r.jmxMicros(), 99)), "");
        row(runs, unmeasured, "latency max, JMX call", r -> micros(Stats.percentile(r.jmxMicros(), 100)), "");
        row(runs, unmeasured, "for scale: JMX getAttribute median", r -> micros(Stats.median(r.attributeMicros())), "");
        row(runs, unmeasured, "rebindTo median / p99, agent-reported", r -> medianAndP99(r.moveMicros()), "");
        row(runs, unmeasured, "unbind median / p99, agent-reported", r -> medianAndP99(r.unbindMicros()), "");
        row(runs, unmeasured, "rebind from UNBOUND median / p99", r -> medianAndP99(r.resumeMicros()), "");
        row(runs, unmeasured, "calls finding the MBean re-publishing", r -> Long.toString(r.mbeanAbsent()), "");
        row(runs, unmeasured, "connections served", r -> Long.toString(r.counts().ok()), "");
        row(runs, unmeasured, "refused", r -> Long.toString(r.counts().refused()), "0");
        row(runs, unmeasured, "reset", r -> Long.toString(r.counts().reset()), "0");
        row(runs, unmeasured, "served, but delayed over 900 ms", r -> Long.toString(r.counts().delayed()), "");
        row(runs, unmeasured, "closed unanswered", r -> Long.toString(r.counts().dropped()), "");
        row(runs, unmeasured, "timed out / other", r -> r.counts().timedOut() + " / " + r.counts().other(), "");
        row(runs, unmeasured, "accept exceptions in the app", r -> Long.toString(r.acceptFailures()), "0");
        for (RebindRun r : runs) {
            if (r.failure() != null) {
                out("  tcp_migrate_req=" + r.migrateReq() + ": " + r.failure());
            } else {
                double median = Stats.median(r.agentMicros());
                double p99 = Stats.percentile(r.agentMicros(), 99);
                out("  tcp_migrate_req=" + r.migrateReq() + " against the targets: median "
                        + verdict(median <= REBIND_MEDIAN_TARGET_MICROS) + ", p99 " + verdict(p99 <= REBIND_P99_TARGET_MICROS)
                        + ", refused " + verdict(r.counts().refused() == 0) + ", reset " + verdict(r.counts().reset() == 0));
            }
            if (r.counts().firstOther() != null) {
                out("  tcp_migrate_req=" + r.migrateReq() + " first other failure: " + r.counts().firstOther());
            }
        }
        out("");
    }

    /**
     * Part 4b: one row per accept model and agent mode; a run that could not happen (a skipped model, a
     * failure) prints its reason below the table.
     */
    static void rebindModels(List<RebindRun> runs, int rebinds, String loadBefore, String loadAfter) {
        out("4b. rebind() of the same address on every accept model of the bench server, " + rebinds
                + " times under churn (" + RebindBench.CHURN_THREADS + " client threads, a new connection per request), "
                + RebindBench.PAUSE_BETWEEN_REBINDS_MILLIS + " ms apart,");
        out("   after 10 warm-up rebinds; agent with -javaagent, or attached by the CLI to the idle server (no"
                + " connection before); tcp_migrate_req=0 only,");
        out("   measured in: " + (runs.isEmpty() ? "-" : shortWhere(runs.get(0).where())) + "; latency agent-reported;"
                + " targets: 0 refused, 0 reset (no allowance)");
        out("   load average (1, 5, 15 min) before: " + loadBefore + ", after: " + loadAfter);
        out(f("  %-9s %-10s %7s %9s %7s %7s %10s %9s %8s %7s %9s %9s", "model", "agent", "rebinds", "served",
                "refused", "reset", "unanswered", "timed out", "> 900 ms", "accept", "median", "p99"));
        out(f("  %-9s %-10s %7s %9s %7s %7s %10s %9s %8s %7s %9s %9s", "", "", "", "", "", "", "", "/ other",
                "delayed", "exc.", "", ""));
        for (RebindRun r : runs) {
            if (r.jmxMicros().isEmpty()) {
                out(f("  %-9s %-10s %s", r.model(), r.agent(), "not measured (below)"));
                continue;
            }
            Load.Counts c = r.counts();
            out(f("  %-9s %-10s %7d %,9d %7d %7d %10d %9s %8d %7d %9s %9s", r.model(), r.agent(), r.jmxMicros().size(),
                    c.ok(), c.refused(), c.reset(), c.dropped(), c.timedOut() + " / " + c.other(), c.delayed(),
                    r.acceptFailures(), micros(Stats.median(r.agentMicros())),
                    micros(Stats.percentile(r.agentMicros(), 99))));
        }
        for (RebindRun r : runs) {
            String which = "  " + r.model() + ", " + r.agent() + ": ";
            if (r.failure() != null) {
                out(which + r.failure());
            } else if (r.counts().refused() != 0 || r.counts().reset() != 0 || r.acceptFailures() != 0) {
                out(which + "targets NOT met: refused " + r.counts().refused() + ", reset " + r.counts().reset()
                        + ", accept exceptions " + r.acceptFailures());
            }
            if (r.counts().firstOther() != null) {
                out(which + "first other failure: " + r.counts().firstOther());
            }
        }
        long measured = runs.stream().filter(r -> r.failure() == null).count();
        long clean = runs.stream().filter(r -> r.failure() == null && r.counts().refused() == 0
                && r.counts().reset() == 0 && r.acceptFailures() == 0).count();
        out("  " + clean + " of " + measured + " measured runs met the targets (0 refused, 0 reset, 0 accept exceptions)");
        out("");
    }

    /** The machine's load average as /proc/loadavg gives it (1, 5 and 15 minutes), or "unknown". */
    static String loadAverage() {
        try {
            String[] f = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException unknown) {
            return "unknown";
        }
    }

    private static String verdict(boolean met) {
        return met ? "met" : "NOT met";
    }

    /**
     * Part 5: hotbind's chain of handovers and the no-agent control's, a column each per tcp_migrate_req;
     * {@code hotbind} and {@code control} in the same order of namespaces.
     */
    static void replacement(List<ReplacementBench.Run> hotbind, List<ReplacementBench.Run> control) {
        out("5. Zero-downtime replacement, chained: a JVM with " + ReplacementBench.AGENT_OPTIONS + " is replaced by a "
                + "new one on the same port, again and again, under one uninterrupted churn (2 client threads); "
                + "each old one is drain()ed over JMX, then exits");
        out("   control in the same namespace, same churn and chain: no agent at all, each server sets SO_REUSEPORT "
                + "on its listener itself; the old one closes its listener, finishes its connections, then exits "
                + "(the application's own graceful handover)");
        List<ReplacementBench.Run> runs = new java.util.ArrayList<>(hotbind);
        runs.addAll(control);
        if (runs.stream().allMatch(r -> r.failure() != null)) {
            for (ReplacementBench.Run r : runs) {
                out("  " + r.handover().title + ", tcp_migrate_req=" + r.migrateReq() + ": not measured: " + r.failure());
            }
            out("");
            return;
        }
        replacementColumns(runs);
        Predicate<ReplacementBench.Run> unmeasured = r -> r.failure() != null;
        row(runs, unmeasured, "handovers", r -> Integer.toString(r.handovers()), "");
        row(runs, unmeasured, "connections served (whole chain)", r -> Long.toString(r.counts().ok()), "");
        row(runs, unmeasured, "failed requests", r -> Long.toString(r.counts().failed()), "0 (hotbind)");
        row(runs, unmeasured, "  refused / reset / closed unanswered",
                r -> r.counts().refused() + " / " + r.counts().reset() + " / " + r.counts().dropped(), "");
        row(runs, unmeasured, "  timed out / other", r -> r.counts().timedOut() + " / " + r.counts().other(), "");
        row(runs, unmeasured, "served, but delayed over 900 ms", r -> Long.toString(r.counts().delayed()), "");
        row(runs, unmeasured, "accepted by a JVM after its drain/close", r -> Long.toString(r.acceptedAfterDrain()), "0");
        row(runs, unmeasured, "last JVM accepted", r -> Long.toString(r.lastServed()), "");
        row(runs, unmeasured, "drain() / close took, median / max",
                r -> r.drainMedianMillis() + " / " + r.drainMaxMillis() + " ms", "");
        for (ReplacementBench.Run r : runs) {
            out("  " + r.handover().title + ", tcp_migrate_req=" + r.migrateReq() + ": " + (r.failure() != null
                    ? r.failure()
                    : (r.handover() == ReplacementBench.Handover.HOTBIND ? "target of 0 failed requests "
                    + verdict(r.counts().failed() == 0) + "; " : r.counts().failed() + " failed; ")
                    + "last answer: " + r.drainAnswer()));
        }
        out("");
    }

    /** Part 5's header: one column per way of handing over and namespace. */
    private static void replacementColumns(List<ReplacementBench.Run> runs) {
        StringBuilder head = new StringBuilder(f("  %-40s", ""));
        for (ReplacementBench.Run r : runs) {
            head.append(f(" %22s", (r.handover() == ReplacementBench.Handover.HOTBIND ? "hotbind" : "no agent")
                    + ", migrate=" + r.migrateReq()));
        }
        out(head + "   target");
    }

    static final double STARTUP_WALL_TARGET_MILLIS = 300;
    static final double STARTUP_CPU_TARGET_MILLIS = 400;
    static final double STARTUP_MEMORY_TARGET_MIB = 20;
    private static final double ATTACH_TARGET_MILLIS = 1_000;
    private static final double LIST_TARGET_MILLIS = 500;

    static void startup(StartupBench.Result r) {
        out("6. Start-up: whole child JVMs under /usr/bin/time (CPU = user + system of all threads until exit,");
        out("   peak = max RSS), wall from start to exit; " + r.pairs() + " alternating pairs, medians");
        startupPairs("a main that returns at once", r.trivial(), true);
        startupPairs("a main that binds a ServerSocket and a ServerSocketChannel, accepts one connection on each"
                + " and closes all (the agent weaves all four JDK classes)", r.server(), false);
        StartupBench.Attach a = r.attach();
        out("  CLI against an idle JVM without the agent, one listener with a thread in accept (each process is a "
                + "whole JVM of its own):");
        double attachWall = Stats.median(a.attach().stream().map(StartupBench.Figures::wallMillis).toList());
        double listWall = Stats.median(a.list().stream().map(StartupBench.Figures::wallMillis).toList());
        double againWall = Stats.median(a.listAgain().stream().map(StartupBench.Figures::wallMillis).toList());
        out(f("  %-40s %9.0f ms wall %7.0f ms CPU   target <= %.0f ms: %s", "attach <pid>, end to end", attachWall,
                Stats.median(a.attach().stream().map(StartupBench.Figures::cpuMillis).toList()), ATTACH_TARGET_MILLIS,
                verdict(attachWall <= ATTACH_TARGET_MILLIS)));
        out(f("  %-40s %9.0f ms CPU", "  CPU the target spent meanwhile", Stats.median(a.targetCpuMillis())));
        out(f("  %-40s %9.1f ms", "  discovery walk in the target, wall", Stats.median(a.discoveryMillis())));
        out(f("  %-40s %9.0f ms wall %7.0f ms CPU", "then list <pid> (starts the JMX connector)", listWall,
                Stats.median(a.list().stream().map(StartupBench.Figures::cpuMillis).toList())));
        // the target is for a read command once the connector is up: the second list
        out(f("  %-40s %9.0f ms wall %7.0f ms CPU   target <= %.0f ms: %s", "list <pid> again, connector up", againWall,
                Stats.median(a.listAgain().stream().map(StartupBench.Figures::cpuMillis).toList()), LIST_TARGET_MILLIS,
                verdict(againWall <= LIST_TARGET_MILLIS)));
        out("  per run, attach wall ms: " + perRun(a.attach()));
        out("  per run, list wall ms:   " + perRun(a.list()));
        out("  per run, again wall ms:  " + perRun(a.listAgain()));
        StartupBench.Crowd c = r.crowd();
        out(f("  the same idle JVM holding %,d accepted connections (client ends in this JVM), one attach:",
                c.connections()));
        out(f("  %-40s %9.0f ms wall %7.0f ms CPU", "attach <pid>, end to end", c.attach().wallMillis(),
                c.attach().cpuMillis()));
        out(f("  %-40s %9.1f ms", "  discovery walk in the target, wall", c.discoveryMillis()));
        StringBuilder stops = new StringBuilder();
        c.safepoints().forEach((operation, seen) -> stops.append(f(" %s x%.0f (longest %.2f ms);", operation,
                seen[0], seen[1])));
        out("    safepoints in the target from the attach to the walk's end:"
                + (stops.length() == 0 ? " none" : stops.toString()));
        out("  where the agent's start-up goes (StartupPhases of the 'server' main with -javaagent, median of "
                + "3 runs; the jmx line and the weavings run outside premain):");
        r.phases().forEach((phase, millis) -> out(f("    %-76s %8.1f ms", phase, millis)));
        out("");
    }

    private static void startupPairs(String title, StartupBench.Pairs p, boolean targets) {
        out("  " + title);
        out(f("  %-22s %12s %12s %12s %12s", "", "no agent", "agent", "agent - no", "agent / no"));
        startupRow("wall time", "ms", p, StartupBench.Figures::wallMillis, targets ? STARTUP_WALL_TARGET_MILLIS : -1);
        startupRow("CPU time", "ms", p, StartupBench.Figures::cpuMillis, targets ? STARTUP_CPU_TARGET_MILLIS : -1);
        startupRow("peak memory (RSS)", "MiB", p, StartupBench.Figures::peakMiB, targets ? STARTUP_MEMORY_TARGET_MIB : -1);
        out("  per pair, wall added ms:  " + perPairAdded(p, StartupBench.Figures::wallMillis));
        out("  per pair, CPU added ms:   " + perPairAdded(p, StartupBench.Figures::cpuMillis));
    }

    /** Medians of each side, the median of the per-pair differences, and the ratio of the medians. */
    private static void startupRow(String label, String unit, StartupBench.Pairs p,
                                   java.util.function.ToDoubleFunction<StartupBench.Figures> figure, double target) {
        double plain = p.median(p.plain(), figure);
        double agent = p.median(p.agent(), figure);
        List<Double> added = new java.util.ArrayList<>();
        for (int i = 0; i < p.plain().size(); i++) {
            added.add(figure.applyAsDouble(p.agent().get(i)) - figure.applyAsDouble(p.plain().get(i)));
        }
        double median = Stats.median(added);
        out(f("  %-22s %12s %12s %12s %12s%s", label, f("%.0f %s", plain, unit), f("%.0f %s", agent, unit),
                f("%+.0f %s", median, unit), f("%.2f", agent / plain),
                target < 0 ? "" : f("   target added <= %.0f %s: %s", target, unit, verdict(median <= target))));
    }

    private static String perPairAdded(StartupBench.Pairs p, java.util.function.ToDoubleFunction<StartupBench.Figures> figure) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < p.plain().size(); i++) {
            out.append(f("%+.0f ", figure.applyAsDouble(p.agent().get(i)) - figure.applyAsDouble(p.plain().get(i))));
        }
        return out.toString().trim();
    }

    private static String perRun(List<StartupBench.Figures> runs) {
        StringBuilder out = new StringBuilder();
        for (StartupBench.Figures r : runs) {
            out.append(f("%.0f ", r.wallMillis()));
        }
        return out.toString().trim();
    }

    /** A churn load's outcomes by kind, one line. */
    static String churn(Load.Counts c) {
        return f("%,d served; failed: %,d refused, %,d reset, %,d closed unanswered, %,d timed out, %,d other%s; "
                        + "%,d served but delayed over 900 ms", c.ok(), c.refused(), c.reset(), c.dropped(), c.timedOut(),
                c.other(), c.firstOther() == null ? "" : " (first: " + c.firstOther() + ")", c.delayed());
    }

    static void out(String line) {
        System.out.println(line);
    }

    /** One line of a table with a column per namespace; "-" where that namespace measured nothing. */
    private static <T> void row(List<T> runs, Predicate<T> unmeasured, String label, Function<T, String> value,
                                String target) {
        StringBuilder line = new StringBuilder(f("  %-40s", label));
        for (T r : runs) {
            line.append(f(" %22s", unmeasured.test(r) ? "-" : value.apply(r)));
        }
        out(line + "   " + target);
    }

    private static void columns(List<Integer> migrateReqs) {
        StringBuilder head = new StringBuilder(f("  %-40s", ""));
        for (int m : migrateReqs) {
            head.append(f(" %22s", "tcp_migrate_req=" + m));
        }
        out(head + "   target");
    }

    private static String shortWhere(String where) {
        return where.startsWith("own network namespace") ? "own netns" : where.startsWith("host") ? "host netns" : where;
    }

    private static String medianAndP99(List<Double> values) {
        return micros(Stats.median(values)) + " / " + micros(Stats.percentile(values, 99));
    }

    private static String micros(double value) {
        return Double.isNaN(value) ? "n/a" : value >= 10_000 ? f("%.1f ms", value / 1e3) : f("%.0f µs", value);
    }

    private static String perPair(Comparison.Result r, java.util.function.IntFunction<Double> ratio) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < r.plain().size(); i++) {
            out.append(f("%.3f ", ratio.apply(i)));
        }
        return out.toString().trim();
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
