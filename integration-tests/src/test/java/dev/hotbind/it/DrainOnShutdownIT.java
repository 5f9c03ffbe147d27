package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.SlowHttpApp;
import dev.hotbind.it.harness.Background;
import dev.hotbind.it.harness.Client;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.ObjectName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** drainOnShutdown: SIGTERM to an application without graceful shutdown no longer cuts its requests. */
class DrainOnShutdownIT {
    /** The demo's start-up with the agent, on a loaded 2-core machine. */
    private static final Duration DEMO_START = Duration.ofMinutes(2);

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
                + ",auditInterval=5s,acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off,bindRetry=off,inherit=off",
                    target.hotbind().agent("Options"));
            CompletableFuture<String> slow = slowRequestThenSigterm(target, port);
            awaitReleased(target, port);
            assertEquals("terminated slept 3000 ms", slow.get(30, TimeUnit.SECONDS));
            target.awaitExit(Duration.ofSeconds(30));
            // the exited JVM's last lines may still be on their way through the pipe
            Poll.until("hotbind's drain report in the output", () -> target.output().contains(
                    "hotbind: JVM exiting; draining every listener for at most 20s (drainOnShutdown)")
                    && target.output().contains("; 1 connection(s) closed by the application; 0 force-closed;")
                    && target.output().contains("alone: it is the JDK's RMI (JMX) listener"));
            assertTrue(!target.output().contains("force-closed when"), target.output());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; output of " + jdk + ":\n" + target.output(), e);
        }
    }

    /**
     * The demo's own shutdown hook closes its listeners: on SIGTERM hotbind drains first, so a
     * conversation under way goes on until the client ends it, and only then does the exit proceed.
     */
    @ParameterizedTest
    @MethodSource("jdks")
    void theDemoFinishesAConversationUnderWayWhenItsOwnHookClosesTheListeners(Jdk jdk) throws Exception {
        TargetJvm target = demo(jdk, "drainOnShutdown=20s");
        try (target) {
            int port = target.awaitPort("classic");
            HotbindJmx jmx = target.hotbind();
            ObjectName listener = jmx.awaitListenerOnPort(port);
            try (Client client = Client.greeted(port)) {
                Poll.until("hotbind counts the conversation",
                        () -> Integer.valueOf(1).equals(jmx.attribute(listener, "OpenConnections")));
                long sigterm = System.nanoTime();
                target.process().toHandle().destroy();
                awaitReleased(target, port);
                client.println("after SIGTERM");
                assertEquals("after SIGTERM", client.expectLine("after"));
                assertTrue(target.process().isAlive(), "the JVM waits for the conversation");
                client.close();
                target.awaitExit(Duration.ofSeconds(20));
                assertTrue(Duration.ofNanos(System.nanoTime() - sigterm).toSeconds() < 20, "exit within the bound");
            }
            // the drain ran before the demo's own hook closed the listeners
            String closed = "demo shutdown hook: listeners closed";
            Poll.until("the demo's hook in the output", () -> target.output().contains(closed));
            Matcher drained = Pattern.compile("hotbind: drained listener #\\d+ 127\\.0\\.0\\.1:" + port
                    + " in \\d+ ms; 1 connection\\(s\\) closed by the application; 0 force-closed;")
                    .matcher(target.output());
            assertTrue(drained.find() && drained.start() < target.output().indexOf(closed), target.output());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; output of " + jdk + ":\n" + target.output(), e);
        }
    }

    /** drainDelay: after SIGTERM the demo keeps accepting for the delay, then the drain releases the ports. */
    @ParameterizedTest
    @MethodSource("jdks")
    void withDrainDelayANewConnectionIsServedAfterSigterm(Jdk jdk) throws Exception {
        TargetJvm target = demo(jdk, "drainOnShutdown=20s,drainDelay=5s");
        try (target) {
            int port = target.awaitPort("classic");
            target.hotbind().awaitListenerOnPort(port);
            target.process().toHandle().destroy();
            target.awaitOutput("hotbind: JVM exiting \\(SIGTERM\\); accepting for 5s more before the drain");
            try (Client late = Client.greeted(port)) {
                late.println("during the delay");
                assertEquals("during the delay", late.expectLine("during"));
                Poll.until("the port released once the delay is over", () -> Http.refuses(port));
                late.println("while draining");
                assertEquals("while draining", late.expectLine("while"));
            }
            target.awaitExit(Duration.ofSeconds(30));
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

    /**
     * Watches the kernel's LISTEN sockets of the target rather than connecting: a probe accepted before
     * the port is released would be one more connection in the drain's report.
     */
    private static void awaitReleased(TargetJvm target, int port) {
        Poll.until("the port released by the drain", () -> {
            try {
                return !ListeningSockets.portsOf(target.pid()).contains(port);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static TargetJvm demo(Jdk jdk, String options) throws Exception {
        // one stream: the tests order hotbind's lines (stderr) against the demo's (stdout)
        return TargetJvm.on(jdk).classpath(TargetJvm.DEMO_JAR.toString()).agentOptions(options).readyWithin(DEMO_START)
                .oneStream().start("demo ready", DemoTarget.MAIN);
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
