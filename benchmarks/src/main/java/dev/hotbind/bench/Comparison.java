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
 * One workload on the server JVM with the agent and the one without, measured in alternating runs
 * (agent first in even pairs, plain first in odd ones, so drift of the machine cancels) after a
 * warm-up of both. Ratios are taken within each pair and their median reported: a pair shares
 * whatever the machine was doing at that moment, so its ratio is steadier than either number.
 */
final class Comparison {
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
     * young collections in the run and bytes the server's threads allocated per request.
     */
    record Where(Map<String, Double> cpuNanosPerOp, long youngCollections, double allocatedBytesPerOp) {
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
        List<Sample> plainSamples = new ArrayList<>();
        List<Sample> agentSamples = new ArrayList<>();
        for (int pair = 0; pair < pairs; pair++) {
            if (pair % 2 == 0) {
                agentSamples.add(measure(setup, agent, kind, threads, false));
                plainSamples.add(measure(setup, plain, kind, threads, false));
            } else {
                plainSamples.add(measure(setup, plain, kind, threads, false));
                agentSamples.add(measure(setup, agent, kind, threads, false));
            }
            Report.progress(workload + " pair " + (pair + 1) + "/" + pairs + ": " + plain.label() + " "
                    + Report.rate(plainSamples.get(pair)) + ", " + agent.label() + " " + Report.rate(agentSamples.get(pair)));
        }
        return new Result(workload, plainSamples, agentSamples);
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
            last = measure(setup, server, kind, threads, true);
        } while ((server.hasAgent() && stats(server).audits() < 1
                || last.where().cpuNanosPerOp().get(ThreadCpu.JIT) > SETTLED_JIT_SHARE * last.cpuNanosPerOp())
                && System.nanoTime() < deadline);
    }

    private static Sample measure(Setup setup, ServerJvm server, Load.Kind kind, int threads, boolean warmup)
            throws InterruptedException {
        ServerJvm.Stats[] stats = new ServerJvm.Stats[2];
        List<Map<Long, ThreadCpu.Task>> tasks = new ArrayList<>();
        ServerJvm.Heap[] heap = new ServerJvm.Heap[2];
        int[] reads = {0};
        Load.Timed timed = Load.timed(kind, server.port(), threads, warmup ? setup.warmup() : setup.run(),
                MAX_OK_PER_RUN, () -> {
                    stats[reads[0]] = stats(server);
                    tasks.add(ThreadCpu.read(server.pid()));
                    heap[reads[0]++] = heap(server);
                });
        double ok = Math.max(1, timed.counts().ok());
        Map<String, Double> byCategory = new LinkedHashMap<>();
        ThreadCpu.delta(tasks.get(0), tasks.get(1)).forEach((category, nanos) -> byCategory.put(category, nanos / ok));
        Where where = new Where(byCategory, heap[1].youngCollections() - heap[0].youngCollections(),
                (heap[1].allocatedBytes() - heap[0].allocatedBytes()) / ok);
        return new Sample(timed.perSecond(), (stats[1].cpuNanos() - stats[0].cpuNanos()) / ok,
                (stats[1].hotbindCpuNanos() - stats[0].hotbindCpuNanos()) / ok, timed.counts().failed(), where);
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
