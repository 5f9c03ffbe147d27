package dev.hotbind.it.servers;

import dev.hotbind.it.harness.RunningServer;
import dev.hotbind.it.harness.ServerApp;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.util.List;
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
 * (issue 2), then what the operations do to it (issue 3), then drains (issue 5); plus, per JDK, one
 * with drainOnShutdown for the test that ends it. The targets start together (starting a server is
 * mostly waiting), and one that failed to start is not started again: its failure repeats.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ServerTargets implements ServerUnderTest {
    private final ServerApp app;
    private final Map<Setup, CompletableFuture<RunningServer>> targets = new ConcurrentHashMap<>();
    private final Map<Setup, CompletableFuture<RunningServer>> exiting = new ConcurrentHashMap<>();

    ServerTargets(ServerApp app) {
        this.app = app;
    }

    @BeforeAll
    void startTargets() {
        for (Setup setup : Setup.all()) {
            starting(targets, setup, "");
            if (setup.mode() == Mode.JAVAAGENT) {
                starting(exiting, setup, DRAIN_ON_SHUTDOWN);
            }
        }
    }

    @Override
    public RunningServer server(Setup setup) {
        return started(targets, setup, "");
    }

    @Override
    public RunningServer exiting(Setup setup) {
        return started(exiting, setup, DRAIN_ON_SHUTDOWN);
    }

    private RunningServer started(Map<Setup, CompletableFuture<RunningServer>> kind, Setup setup, String options) {
        try {
            return starting(kind, setup, options).join();
        } catch (CompletionException e) {
            throw new AssertionError(app + " did not start on " + setup + " " + options, e.getCause());
        }
    }

    private CompletableFuture<RunningServer> starting(Map<Setup, CompletableFuture<RunningServer>> kind,
            Setup setup, String options) {
        return kind.computeIfAbsent(setup, s -> CompletableFuture.supplyAsync(() -> {
            try {
                return RunningServer.start(app, s.jdk(), s.mode(), options);
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        }, start -> {
            Thread starter = new Thread(start, "start " + app + " " + s + " " + options);
            starter.setDaemon(true);
            starter.start();
        }));
    }

    @AfterAll
    void stopTargets() {
        for (Map<Setup, CompletableFuture<RunningServer>> kind : List.of(targets, exiting)) {
            for (CompletableFuture<RunningServer> target : kind.values()) {
                try {
                    target.join().close();
                } catch (CompletionException failedToStart) {
                    // reported by the tests that needed it
                }
            }
            kind.clear();
        }
    }
}
