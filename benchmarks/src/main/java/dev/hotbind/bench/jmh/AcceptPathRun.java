package dev.hotbind.bench.jmh;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link AcceptPathBenchmark} in one forked JVM and returns its score. */
public final class AcceptPathRun {
    /** What the agent opens for itself at run time, given on the forked JVM's command line instead. */
    private static final String[] OPENS = {
        "--add-opens", "java.base/java.net=ALL-UNNAMED",
        "--add-opens", "java.base/java.io=ALL-UNNAMED",
        "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
        "--add-opens", "java.base/java.nio.channels.spi=ALL-UNNAMED",
        "--add-opens", "java.base/java.lang=ALL-UNNAMED",
        "--add-opens", "java.base/java.util.concurrent.locks=ALL-UNNAMED",
    };

    /**
     * Nanoseconds per operation, medians over measurement iterations (on a shared machine one descheduled
     * iteration drags JMH's mean far off): wall time as JMH measures it, and the forked JVM's CPU time.
     */
    public record Score(double wallMedian, double wallMin, double wallMax, double cpuMedian, int iterations) {
    }

    private AcceptPathRun() {
    }

    public static Score run(boolean quick, String java) throws RunnerException {
        OptionsBuilder options = new OptionsBuilder();
        options.include(AcceptPathBenchmark.class.getName() + ".acceptAndClose")
                .forks(1)
                .jvm(java)
                .jvmArgsAppend(OPENS)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .measurementIterations(quick ? 5 : 10)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .addProfiler(CpuPerOp.class)
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        RunResult result = new Runner(options.build()).run().iterator().next();
        List<Double> wall = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
                wall.add(iteration.getPrimaryResult().getScore());
                cpu.add(iteration.getSecondaryResults().get(CpuPerOp.NAME).getScore());
            }
        }
        Collections.sort(wall);
        return new Score(median(wall), wall.get(0), wall.get(wall.size() - 1), median(cpu), wall.size());
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
