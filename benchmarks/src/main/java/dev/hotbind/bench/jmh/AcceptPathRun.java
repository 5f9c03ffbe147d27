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
    };

    /**
     * Nanoseconds per operation: the median over measurement iterations (on a shared machine one
     * descheduled iteration drags JMH's mean far off), with the lowest and highest iteration and JMH's mean.
     */
    public record Score(double median, double min, double max, double mean, int iterations) {
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
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        RunResult result = new Runner(options.build()).run().iterator().next();
        List<Double> scores = new ArrayList<>();
        for (BenchmarkResult fork : result.getBenchmarkResults()) {
            for (IterationResult iteration : fork.getIterationResults()) {
                scores.add(iteration.getPrimaryResult().getScore());
            }
        }
        Collections.sort(scores);
        int n = scores.size();
        double median = n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
        return new Score(median, scores.get(0), scores.get(n - 1), result.getPrimaryResult().getScore(), n);
    }
}
