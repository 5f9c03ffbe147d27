package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbind.it.apps.SelfCheckingApp;
import dev.hotbind.it.harness.Background;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.TargetJvm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * No listener missed at start-up: a listener bound first thing in main, with -javaagent, gets its
 * MBean every time. 50 starts, half on each JDK, a few at once: the start-up race showed in 1 of 8 runs.
 */
class StartupRegistrationIT {
    /** Per JDK: 50 in all, which keeps the suite's budget on 2 cores. */
    private static final int STARTS = 25;
    private static final int AT_ONCE = 4;
    /** A JVM start-up with the agent, on a loaded 2-core machine. */
    private static final Duration START_UP = Duration.ofMinutes(2);

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void aListenerBoundInMainIsRegisteredEveryTime(Jdk jdk) throws Exception {
        List<String> missed = new ArrayList<>();
        for (int batch = 0; batch < STARTS; batch += AT_ONCE) {
            List<CompletableFuture<String>> runs = new ArrayList<>();
            for (int i = batch; i < Math.min(STARTS, batch + AT_ONCE); i++) {
                runs.add(Background.start("start-" + i, () -> startOnce(jdk)));
            }
            for (CompletableFuture<String> run : runs) {
                String result = run.get(START_UP.toSeconds() + 30, TimeUnit.SECONDS);
                if (!result.startsWith("registered port ")) {
                    missed.add(result);
                }
            }
        }
        assertEquals(List.of(), missed, "starts whose listener MBean was missing, of " + STARTS + " on " + jdk);
    }

    private static String startOnce(Jdk jdk) {
        // C1 only and the serial collector, as for the servers: half the CPU of a start-up on 2 cores
        try (TargetJvm target = TargetJvm.on(jdk).jvmArg("-XX:TieredStopAtLevel=1").jvmArg("-XX:+UseSerialGC")
                .readyWithin(START_UP)
                .start(SelfCheckingApp.READY, SelfCheckingApp.class.getName())) {
            return target.awaitOutput("(?m)^((?:registered|missing) port .*)$");
        } catch (Exception e) {
            return "failed to start: " + e;
        }
    }
}
