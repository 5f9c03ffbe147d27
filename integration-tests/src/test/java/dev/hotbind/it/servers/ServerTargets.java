package dev.hotbind.it.servers;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.RunningServer;
import dev.hotbind.it.harness.ServerApp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One target JVM per setup, shared by every test of the class in order: first what hotbind sees
 * (issue 2), then what the operations do to it (issue 3). A target that failed to start is not
 * started again: its failure is repeated.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class ServerTargets implements ServerUnderTest {
    private final ServerApp app;
    private final Map<Setup, Object> started = new LinkedHashMap<>();

    ServerTargets(ServerApp app) {
        this.app = app;
    }

    @Override
    public synchronized RunningServer server(Setup setup) throws Exception {
        Jdk jdk = setup.jdk();
        assumeTrue(jdk != null, "JDK " + setup.feature() + " is not installed (set HOTBIND_JDK" + setup.feature()
                + " to its home): skipped");
        Object known = started.get(setup);
        if (known == null) {
            try {
                known = RunningServer.start(app, jdk, setup.mode());
            } catch (Exception | AssertionError e) {
                known = new AssertionError(app + " did not start on " + setup, e);
            }
            started.put(setup, known);
        }
        if (known instanceof AssertionError) {
            throw (AssertionError) known;
        }
        return (RunningServer) known;
    }

    @AfterAll
    synchronized void stopTargets() {
        for (Object target : started.values()) {
            if (target instanceof RunningServer) {
                ((RunningServer) target).close();
            }
        }
        started.clear();
    }
}
