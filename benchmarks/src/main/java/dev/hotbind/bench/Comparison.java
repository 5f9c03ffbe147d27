package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One workload on the server JVM with the agent and the one without, measured in pairs after a warm-up
 * of both; within a pair the two take turns in short slices (see {@link #slices}) so drift of the
 * machine falls on both. Ratios are taken within each pair and their median reported: a pair shares
 * whatever the machine was doing at that moment, so its ratio is steadier than either number.
 */
final class Comparison {
    /** How long one JVM runs before the other takes over, within a pair. */
    static final Duration SLICE = Duration.ofMillis(200);
    /** Bounds each run by count as well as time. */
    private static final long MAX_OK_PER_RUN = 2_000_000;
    /** Two default audit intervals and some: the first audit is due one interval after start-up. */
    private static final Duration FIRST_AUDIT_WAIT = Duration.ofSeconds(15);
    /** JIT threads' share of a warm-up run's CPU below which the JVM's code counts as compiled (steady runs: ~0.5 %). */
    private static final double SETTLED_JIT_SHARE = 0.02;

    /**
     * One run on one server: requests per second, server CPU nanoseconds per request, and the part of
     * that CPU spent on hotbind's own threads ({@code hotbind-*}; what the agent adds on the
     * application's threads is in the rest).
     */
    record Sample(double perSecond, double cpuNanosPerOp, double hotbindCpuNanosPerOp, long failed, Where where) {
    }

    /**
     * Where one run's server CPU went, per request: by thread category ({@link ThreadCpu}, read in /proc),
     * young collections in the run, bytes the server's threads allocated per request, and the
     * application's threads' context switches and kernel-mode CPU per request, and the load's client
     * threads' CPU per request (in the driver JVM: the other end of the same loopback connections).
     */
    record Where(Map<String, Double> cpuNanosPerOp, long youngCollections, double allocatedBytesPerOp,
                 double appSwitchesPerOp, double appSystemNanosPerOp, double clientCpuNanosPerOp,
                 double processCpuNanosPerOp) {
    }

    record Result(String workload, List<Sample> plain, List<Sample> agent) {
        /** Time per request with the agent over time per request without, median over pairs. */
        double costRatio() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < plain.size(); i++) {
                ratios.add(plain.get(i).perSecond() / agent.get(i).perSecond());
            }
            return Stats.median(ratios);
        }

        /** Server CPU per request with the agent over without, median over pairs. */
        double cpuRatio() {
            List<Double> ratios = new ArrayList<>();
            for (int i = 0; i < plain.size(); i++) {
                ratios.add(agent.get(i).cpuNanosPerOp() / plain.get(i).cpuNanosPerOp());
            }
            return Stats.median(ratios);
        }

        static double medianPerSecond(List<Sample> samples) {
            return Stats.median(samples.stream().map(Sample::perSecond).toList());
        }

        static double medianCpu(List<Sample> samples) {
            return Stats.median(samples.stream().map(Sample::cpuNanosPerOp).toList());
        }

        /** hotbind's threads' CPU over all agent runs, as a share of the agent server's CPU in them. */
        double hotbindShare() {
            return agent.stream().mapToDouble(Sample::hotbindCpuNanosPerOp).sum()
                    / agent.stream().mapToDouble(Sample::cpuNanosPerOp).sum();
        }
    }

    private Comparison() {
    }

    static Result run(String workload, Setup setup, ServerJvm plain, ServerJvm agent, Load.Kind kind, int threads)
            throws InterruptedException {
        return run(workload, setup, setup.pairs(), plain, agent, kind, threads);
    }

    /** The same with {@code pairs} pairs; {@code agent} may be a second JVM without the agent (an A/A control). */
    static Result run(String workload, Setup setup, int pairs, ServerJvm plain, ServerJvm agent, Load.Kind kind,
                      int threads) throws InterruptedException {
        warmUp(setup, agent, kind, threads);
        warmUp(setup, plain, kind, threads);
        int slices = slices(setup);
        Duration slice = setup.run().dividedBy(slices);
        List<Sample> plainSamples = new ArrayList<>();
        List<Sample> agentSamples = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            Totals plainTotals = Totals.NONE;
            Totals agentTotals = Totals.NONE;
            for (int i = 0; i < slices; i++) {
                if ((pair + i) % 2 == 0) {
                    agentTotals = agentTotals.plus(measure(agent, kind, threads, slice));
                    plainTotals = plainTotals.plus(measure(plain, kind, threads, slice));
                } else {
                    plainTotals = plainTotals.plus(measure(plain, kind, threads, slice));
                    agentTotals = agentTotals.plus(measure(agent, kind, threads, slice));
                }
            }
            plainSamples.add(plainTotals.sample());
            agentSamples.add(agentTotals.sample());
            Report.progress(workload + " pair " + (pair + 1) + "/" + pairs + ": " + plain.label() + " "
                    + Report.rate(plainSamples.get(pair)) + ", " + agent.label() + " " + Report.rate(agentSamples.get(pair)));
        }
        return new Result(workload, plainSamples, agentSamples);
    }

    /**
     * Each pair's run time is cut into slices of {@link #SLICE} that alternate between the two JVMs, and
     * each side's slices are summed: the machine's own bursts (this 2-core VM's neighbours, seen as the
     * load's client threads needing 15-25 % more CPU per connection for a few seconds in both JVMs' runs
     * alike) then fall on both sides of a pair instead of on one of two back-to-back runs.
     */
    static int slices(Setup setup) {
        return (int) Math.max(1, setup.run().toMillis() / SLICE.toMillis());
    }

    /**
     * Warms a JVM up until its JIT compilers have settled (their threads took at most
     * {@link #SETTLED_JIT_SHARE} of the last warm-up run's CPU) and, with the agent, at least until the
     * agent's first orphan audit is done: that one runs cold (class loading, interpreted code, every lookup
     * new). Either would otherwise fall into measured runs as a one-off start-up cost: on a loaded machine a
     * warm-up of fixed wall time gives a JVM little CPU, and the agent's JVM has more code to compile
     * (seen at load 50 on JDK 25: pairs whose extra CPU was the agent JVM's JIT threads). Later audits run at
     * their interval inside measured runs, as in production. Bounded by {@link #FIRST_AUDIT_WAIT}.
     */
    private static void warmUp(Setup setup, ServerJvm server, Load.Kind kind, int threads) throws InterruptedException {
        long deadline = System.nanoTime() + FIRST_AUDIT_WAIT.toNanos();
        Sample last;
        do {
            last = measure(server, kind, threads, setup.warmup()).sample();
        } while ((server.hasAgent() && stats(server).audits() < 1
                || last.where().cpuNanosPerOp().get(ThreadCpu.JIT) > SETTLED_JIT_SHARE * last.cpuNanosPerOp())
                && System.nanoTime() < deadline);
    }

    /** What one run (or slice) of the load cost a server JVM, as sums: slices add up to a pair's side. */
    record Totals(long ok, long elapsedNanos, long processCpuNanos, long failed,
                  Map<String, Long> categoryNanos, long youngCollections, long allocatedBytes, long appSwitches,
                  long appSystemNanos, long clientCpuNanos) {
        static final Totals NONE = new Totals(0, 0, 0, 0, Map.of(), 0, 0, 0, 0, 0);

        Totals plus(Totals o) {
            Map<String, Long> categories = new LinkedHashMap<>(categoryNanos);
            o.categoryNanos.forEach((category, nanos) -> categories.merge(category, nanos, Long::sum));
            return new Totals(ok + o.ok, elapsedNanos + o.elapsedNanos, processCpuNanos + o.processCpuNanos,
                    failed + o.failed, categories,
                    youngCollections + o.youngCollections, allocatedBytes + o.allocatedBytes,
                    appSwitches + o.appSwitches, appSystemNanos + o.appSystemNanos, clientCpuNanos + o.clientCpuNanos);
        }

        /** The server's CPU is its threads' sum: see {@link #measure}. */
        Sample sample() {
            double ops = Math.max(1, ok);
            Map<String, Double> perOp = new LinkedHashMap<>();
            categoryNanos.forEach((category, nanos) -> perOp.put(category, nanos / ops));
            long threads = categoryNanos.values().stream().mapToLong(Long::longValue).sum();
            return new Sample(ok * 1e9 / elapsedNanos, threads / ops,
                    categoryNanos.getOrDefault(ThreadCpu.HOTBIND, 0L) / ops, failed,
                    new Where(perOp, youngCollections, allocatedBytes / ops, appSwitches / ops, appSystemNanos / ops,
                            clientCpuNanos / ops, processCpuNanos / ops));
        }
    }

    /**
     * One run on one server. Its CPU is the sum of its threads' in /proc, read first thing after the load
     * stops and last thing before it starts, so the work the server does to answer the driver's
     * {@code stats} and {@code gc} questions (more with the agent, which is asked for its audits too)
     * falls outside the window: with 20 slices per pair that work would otherwise be counted 40 times.
     * The process CPU the server reports is kept for the "not seen" check (threads that ended).
     */
    private static Totals measure(ServerJvm server, Load.Kind kind, int threads, Duration duration)
            throws InterruptedException {
        ServerJvm.Stats[] stats = new ServerJvm.Stats[2];
        List<Map<Long, ThreadCpu.Task>> tasks = new ArrayList<>();
        ServerJvm.Heap[] heap = new ServerJvm.Heap[2];
        int[] reads = {0};
        Load.Timed timed = Load.timed(kind, server.port(), threads, duration, MAX_OK_PER_RUN, () -> {
            int at = reads[0]++;
            if (at == 1) {
                tasks.add(ThreadCpu.read(server.pid()));
            }
            stats[at] = stats(server);
            heap[at] = heap(server);
            if (at == 0) {
                tasks.add(ThreadCpu.read(server.pid()));
            }
        });
        ThreadCpu.Scheduling scheduling = ThreadCpu.scheduling(tasks.get(0), tasks.get(1));
        return new Totals(timed.counts().ok(), timed.elapsedNanos(), stats[1].cpuNanos() - stats[0].cpuNanos(),
                timed.counts().failed(), ThreadCpu.delta(tasks.get(0), tasks.get(1)),
                heap[1].youngCollections() - heap[0].youngCollections(),
                heap[1].allocatedBytes() - heap[0].allocatedBytes(), scheduling.switches(), scheduling.systemNanos(),
                timed.clientCpuNanos());
    }

    private static ServerJvm.Heap heap(ServerJvm server) {
        return ask(server::heap, "the server's collections");
    }

    private static ServerJvm.Stats stats(ServerJvm server) {
        return ask(server::stats, "the server's CPU time");
    }

    /** One question to the server on its stdin. */
    private interface Question<T> {
        T ask() throws IOException, InterruptedException;
    }

    private static <T> T ask(Question<T> question, String what) {
        try {
            return question.ask();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading " + what, e);
        }
    }
}
