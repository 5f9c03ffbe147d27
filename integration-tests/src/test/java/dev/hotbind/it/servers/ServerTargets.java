package dev.hotbind.it.servers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.RunningServer;
import dev.hotbind.it.harness.ServerApp;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One target JVM per setup, shared by every test of the class in order: first what hotbind sees
 * (issue 2), then what the operations do to it (issue 3). The targets start together (starting a
 * server is mostly waiting), and one that failed to start is not started again: its failure repeats.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ServerTargets implements ServerUnderTest {
    private final ServerApp app;
    private final Map<Setup, CompletableFuture<RunningServer>> targets = new ConcurrentHashMap<>();

    ServerTargets(ServerApp app) {
        this.app = app;
    }

    @BeforeAll
    void startTargets() {
        for (Setup setup : Setup.all()) {
            if (setup.jdk() != null) {
                starting(setup);
            }
        }
    }

    @Override
    public RunningServer server(Setup setup) {
        assumeTrue(setup.jdk() != null, "JDK " + setup.feature() + " is not installed (set HOTBIND_JDK"
                + setup.feature() + " to its home): skipped");
        try {
            return starting(setup).join();
        } catch (CompletionException e) {
            throw new AssertionError(app + " did not start on " + setup, e.getCause());
        }
    }

    private CompletableFuture<RunningServer> starting(Setup setup) {
        return targets.computeIfAbsent(setup, s -> CompletableFuture.supplyAsync(() -> {
            try {
                return RunningServer.start(app, s.jdk(), s.mode());
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, start -> {
            Thread starter = new Thread(start, "start " + app + " " + s);
            starter.setDaemon(true);
            starter.start();
        }));
    }

    @AfterAll
    void stopTargets() {
        for (CompletableFuture<RunningServer> target : targets.values()) {
            try {
                target.join().close();
            } catch (CompletionException failedToStart) {
                // reported by the tests that needed it
            }
        }
        targets.clear();
    }
}
