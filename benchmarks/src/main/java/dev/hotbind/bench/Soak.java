package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.time.Duration;

/**
 * The soak command: a given number of churned connections (connect, request, answer, close) against
 * the agent's bench server, with its heap after GC, descriptors and threads sampled at intervals and at
 * the end set against the start: what hotbind keeps per connection must not outlive the connection.
 * Bounded in count and in time.
 */
final class Soak {
    private static final int CHURN_THREADS = StressBench.CHURN_THREADS;
    private static final Duration TIME_LIMIT = Duration.ofHours(1);
    private static final long WARM_UP_CONNECTIONS = 2_000;
    private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(30);

    private Soak() {
    }

    static void run(Setup setup, long connections) throws Exception {
        Report.out(Report.f("hotbind soak: %,d churned connections (%d loopback client threads), at most %d min",
                connections, CHURN_THREADS, TIME_LIMIT.toMinutes()));
        Report.out("  server: " + setup.java() + " " + String.join(" ", Setup.SERVER_JVM_OPTIONS) + " -javaagent:"
                + setup.agentJar());
        try (ServerJvm server = ServerJvm.start("agent", setup, setup.agentJar(), "", 0)) {
            server.listenerMBean();
            warmUp(server);
            Resources start = Resources.sample(server);
            Report.out("  start: " + start.line());
            long begin = System.nanoTime();
            long deadline = begin + TIME_LIMIT.toNanos();
            long nextSample = begin + StressBench.SAMPLE_EVERY.toNanos();
            Load churn = Load.start(Load.Kind.CHURN, server.port(), CHURN_THREADS);
            while (done(churn) < connections && System.nanoTime() < deadline) {
                Thread.sleep(20);
                if (System.nanoTime() >= nextSample) {
                    nextSample += StressBench.SAMPLE_EVERY.toNanos();
                    Report.out(Report.f("  [%4.0f s] %,9d connections; %s", (System.nanoTime() - begin) / 1e9,
                            done(churn), Resources.sample(server).line()));
                }
            }
            Load.Counts counts = churn.stop();
            double seconds = (System.nanoTime() - begin) / 1e9;
            Report.out(Report.f("  churn: %s (%.0f s, %,.0f/s)", Report.churn(counts), seconds, counts.ok() / seconds));
            Report.out("  accept exceptions in the application: " + server.stats().acceptFailures());
            Report.out("  end:   " + Resources.settled(server, start, StressBench.SETTLE_WITHIN).against(start));
        }
    }

    /**
     * Churn enough that the application's worker pool and the JIT have done their start-up, so the start
     * sample is a steady state a leak can be measured against.
     */
    static void warmUp(ServerJvm server) throws InterruptedException {
        Load.Timed warm = Load.timed(Load.Kind.CHURN, server.port(), CHURN_THREADS, WARM_UP_LIMIT, WARM_UP_CONNECTIONS,
                () -> { });
        Report.out("  warm-up: " + Report.churn(warm.counts()));
    }

    private static long done(Load churn) {
        Load.Counts c = churn.counts();
        return c.ok() + c.failed();
    }
}
