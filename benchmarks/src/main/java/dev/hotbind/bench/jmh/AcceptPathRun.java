package dev.hotbind.bench.jmh;

import java.util.Collection;
import org.openjdk.jmh.results.Result;
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

    /** Nanoseconds per operation with its error margin (99.9 %). */
    public record Score(double nanos, double error) {
    }

    private AcceptPathRun() {
    }

    public static Score run(boolean quick, String java) throws RunnerException {
        OptionsBuilder options = new OptionsBuilder();
        options.include(AcceptPathBenchmark.class.getName() + ".acceptAndClose")
                .forks(1)
                .jvm(java)
                .jvmArgsAppend(OPENS)
                .warmupIterations(quick ? 2 : 4)
                .warmupTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.milliseconds(quick ? 500 : 1000))
                .shouldFailOnError(true)
                .verbosity(VerboseMode.SILENT);
        Collection<RunResult> results = new Runner(options.build()).run();
        Result<?> primary = results.iterator().next().getPrimaryResult();
        return new Score(primary.getScore(), primary.getScoreError());
    }
}
