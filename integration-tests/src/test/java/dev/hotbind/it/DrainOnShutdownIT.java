package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.SlowHttpApp;
import dev.hotbind.it.harness.Background;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** drainOnShutdown: SIGTERM to an application without graceful shutdown no longer cuts its requests. */
class DrainOnShutdownIT {

    static List<Jdk> jdks() {
        return Jdk.all();
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void anInFlightRequestCompletesWhenTheJvmGetsSigterm(Jdk jdk) throws Exception {
        TargetJvm target = TargetJvm.on(jdk).agentOptions("drainOnShutdown=20s")
                .start("ready", SlowHttpApp.class.getName(), "terminated");
        try (target) {
            int port = target.awaitPort("http");
            // a JMX client stays connected: the exit must not wait for it
            assertEquals("history=256,drainOnShutdown=20s,reuseport=false,keepalive=off"
                + ",auditInterval=5s,acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20",
                    target.hotbind().agent("Options"));
            CompletableFuture<String> slow = slowRequestThenSigterm(target, port);
            Poll.until("the port released by the drain", () -> Http.refuses(port));
            assertEquals("terminated slept 3000 ms", slow.get(30, TimeUnit.SECONDS));
            target.awaitExit(Duration.ofSeconds(30));
            // the exited JVM's last lines may still be on their way through the pipe
            Poll.until("hotbind's drain report in the output", () -> target.output().contains(
                    "hotbind: JVM exiting; draining every listener for at most 20s (drainOnShutdown)")
                    && target.output().contains(": 1 connection(s) closed by the application, 0 force-closed")
                    && target.output().contains("alone: it is the JDK's RMI (JMX) listener"));
            assertTrue(!target.output().contains("force-closed when"), target.output());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; output of " + jdk + ":\n" + target.output(), e);
        }
    }

    @ParameterizedTest
    @MethodSource("jdks")
    void withoutItTheSameRequestIsCut(Jdk jdk) throws Exception {
        try (TargetJvm target = TargetJvm.on(jdk).start("ready", SlowHttpApp.class.getName(), "terminated")) {
            int port = target.awaitPort("http");
            CompletableFuture<String> slow = slowRequestThenSigterm(target, port);
            String answer = slow.get(30, TimeUnit.SECONDS);
            assertTrue(answer.startsWith("failed: "), answer);
            target.awaitExit(Duration.ofSeconds(30));
        }
    }

    private static CompletableFuture<String> slowRequestThenSigterm(TargetJvm target, int port) {
        CompletableFuture<String> slow = Background.start("slow-request", () -> {
            try {
                return Http.get(port, "/slow?ms=3000");
            } catch (IOException e) {
                return "failed: " + e;
            }
        });
        target.awaitOutput("slow request started");
        // SIGTERM through the handle: Process.destroy() would also close our end of the target's output
        target.process().toHandle().destroy();
        return slow;
    }
}
