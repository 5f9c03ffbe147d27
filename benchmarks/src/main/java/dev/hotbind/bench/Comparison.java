package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * One workload on the server JVM with the agent and the one without, measured in alternating runs
 * (agent first in even pairs, plain first in odd ones, so drift of the machine cancels) after a
 * warm-up of both. Ratios are taken within each pair and their median reported: a pair shares
 * whatever the machine was doing at that moment, so its ratio is steadier than either number.
 */
final class Comparison {
    /** Bounds each run by count as well as time. */
    private static final long MAX_OK_PER_RUN = 2_000_000;

    /** One run on one server: requests per second and server CPU nanoseconds per request. */
    record Sample(double perSecond, double cpuNanosPerOp, long failed) {
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
    }

    private Comparison() {
    }

    static Result run(String workload, Setup setup, ServerJvm plain, ServerJvm agent, Load.Kind kind, int threads)
            throws InterruptedException {
        measure(setup, agent, kind, threads, true);
        measure(setup, plain, kind, threads, true);
        List<Sample> plainSamples = new ArrayList<>();
        List<Sample> agentSamples = new ArrayList<>();
        for (int pair = 0; pair < setup.pairs(); pair++) {
            if (pair % 2 == 0) {
                agentSamples.add(measure(setup, agent, kind, threads, false));
                plainSamples.add(measure(setup, plain, kind, threads, false));
            } else {
                plainSamples.add(measure(setup, plain, kind, threads, false));
                agentSamples.add(measure(setup, agent, kind, threads, false));
            }
            Report.progress(workload + " pair " + (pair + 1) + "/" + setup.pairs() + ": no agent "
                    + Report.rate(plainSamples.get(pair)) + ", agent " + Report.rate(agentSamples.get(pair)));
        }
        return new Result(workload, plainSamples, agentSamples);
    }

    private static Sample measure(Setup setup, ServerJvm server, Load.Kind kind, int threads, boolean warmup)
            throws InterruptedException {
        long[] cpu = new long[2];
        int[] reads = {0};
        Load.Timed timed = Load.timed(kind, server.port(), threads, warmup ? setup.warmup() : setup.run(),
                MAX_OK_PER_RUN, () -> cpu[reads[0]++] = cpuNanos(server));
        long ok = Math.max(1, timed.counts().ok());
        return new Sample(timed.perSecond(), (double) (cpu[1] - cpu[0]) / ok, timed.counts().failed());
    }

    private static long cpuNanos(ServerJvm server) {
        try {
            return server.stats().cpuNanos();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the server's CPU time", e);
        }
    }
}
