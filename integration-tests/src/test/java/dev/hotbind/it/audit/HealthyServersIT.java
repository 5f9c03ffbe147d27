package dev.hotbind.it.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.HealthyApp;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Healthy servers of every listener style, under and after a burst of traffic, show no orphans, even
 * with the short thresholds the orphan test uses.
 */
class HealthyServersIT {
    private static final String[] ORPHAN_COUNTS = {"OrphanedAcceptThreadCount", "OrphanedListenerCount",
        "OrphanedConnectionCount"};
    private static final int CLIENTS = 4;
    private static final int ROUNDS = 60;

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void noOrphansUnderAndAfterABurst(Jdk jdk, Mode mode) throws Exception {
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).agentOptions(OrphanAuditIT.OPTIONS)
                .start("healthy-app ready", HealthyApp.class.getName())) {
            HotbindJmx hotbind = target.hotbind();
            int http = target.awaitPort("http");
            int[] echo = {target.awaitPort("socket"), target.awaitPort("channel"), target.awaitPort("selector")};
            ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> burst = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                burst.add(clients.submit(() -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        httpGet(http);
                        for (int port : echo) {
                            echoOnce(port);
                        }
                    }
                    return null;
                }));
            }
            int samples = 0;
            while (burst.stream().anyMatch(f -> !f.isDone())) {
                assertNoOrphans(hotbind, "during the burst");
                samples++;
            }
            for (Future<?> f : burst) {
                f.get(5, TimeUnit.MINUTES);
            }
            clients.shutdown();
            assertTrue(samples > 0, "sampled the findings while traffic ran");
            long after = (Long) hotbind.agent("AuditCount");
            Poll.until("three audits after the burst", () -> (Long) hotbind.agent("AuditCount") >= after + 3);
            assertNoOrphans(hotbind, "after the burst");
            assertEquals(0, hotbind.agent("UnmanagedListenerCount"),
                    () -> "every listener has accepted, so all are managed: " + hotbind.agentRows("UnmanagedListeners"));
        }
    }

    private static void assertNoOrphans(HotbindJmx hotbind, String when) {
        for (String count : ORPHAN_COUNTS) {
            assertEquals(0, hotbind.agent(count), () -> count + " " + when + ": "
                    + hotbind.agentRows(count.replace("Count", "s")));
        }
    }

    private static void httpGet(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);
        }
    }

    private static void echoOnce(int port) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            out.write(7);
            assertEquals(7, in.read());
        }
    }
}
