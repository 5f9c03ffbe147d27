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
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(10);
    private static final Duration TIME_LIMIT = Duration.ofHours(1);

    private Soak() {
    }

    static void run(Setup setup, long connections) throws Exception {
        Report.out(Report.f("hotbind soak: %,d churned connections (%d loopback client threads), at most %d min",
                connections, CHURN_THREADS, TIME_LIMIT.toMinutes()));
        Report.out("  server: " + setup.java() + " " + String.join(" ", Setup.SERVER_JVM_OPTIONS) + " -javaagent:"
                + setup.agentJar());
        try (ServerJvm server = ServerJvm.start("agent", setup, setup.agentJar(), "", 0)) {
            server.listenerMBean();
            Resources start = Resources.sample(server);
            Report.out("  start: " + start.line());
            long begin = System.nanoTime();
            long deadline = begin + TIME_LIMIT.toNanos();
            long nextSample = begin + SAMPLE_EVERY.toNanos();
            Load churn = Load.start(Load.Kind.CHURN, server.port(), CHURN_THREADS);
            while (done(churn) < connections && System.nanoTime() < deadline) {
                Thread.sleep(20);
                if (System.nanoTime() >= nextSample) {
                    nextSample += SAMPLE_EVERY.toNanos();
                    Report.out(Report.f("  [%4.0f s] %,9d connections; %s", (System.nanoTime() - begin) / 1e9,
                            done(churn), Resources.sample(server).line()));
                }
            }
            Load.Counts counts = churn.stop();
            double seconds = (System.nanoTime() - begin) / 1e9;
            Report.out(Report.f("  churn: %s (%.0f s, %,.0f/s)", Report.churn(counts), seconds, counts.ok() / seconds));
            Report.out("  accept exceptions in the application: " + server.stats().acceptFailures());
            Report.out("  end:   " + Resources.sample(server).against(start));
        }
    }

    private static long done(Load churn) {
        Load.Counts c = churn.counts();
        return c.ok() + c.failed();
    }
}
