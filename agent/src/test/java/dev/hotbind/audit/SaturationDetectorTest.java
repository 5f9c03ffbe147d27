package dev.hotbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.Registry;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A full accept queue is a finding for as long as the quiet period after it was last seen full; counters parse. */
class SaturationDetectorTest {

    @Test
    void aQueueAsDeepAsTheBacklogIsAFindingUntilQuietLongEnough() throws Exception {
        KernelView kernel = KernelView.detect();
        assumeTrue(kernel.available(), "the backlog's cap is read from Linux's /proc");
        Registry registry = new Registry(8, null, null);
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            registry.bound(server, 4);
            ListenerRecord listener = registry.listeners().get(0);
            SaturationDetector detector = new SaturationDetector(kernel, 1_000);
            long t0 = 1_000_000;
            assertEquals(List.of(), detector.detect(List.of(listener), Map.of(listener.id(), row(server, 3)),
                    new ListenCounters(10, 20), t0), "3 of 4: not full");
            List<SaturatedListener> full = detector.detect(List.of(listener), Map.of(listener.id(), row(server, 5)),
                    new ListenCounters(10, 20), t0 + 1_000);
            assertEquals(1, full.size(), full.toString());
            SaturatedListener f = full.get(0);
            assertEquals(t0 + 1_000, f.sinceMillis());
            assertEquals(1, f.timesSeenFull());
            assertEquals(5, f.acceptQueueDepth());
            assertEquals(4, f.backlog());
            assertEquals(0, f.listenOverflows());
            assertTrue(f.suggestion().startsWith("raise the backlog (setBacklog"), f.suggestion());

            f = detector.detect(List.of(listener), Map.of(listener.id(), row(server, 4)), new ListenCounters(17, 30),
                    t0 + 2_000).get(0);
            assertEquals(2, f.timesSeenFull(), "as deep as the backlog counts as full");
            assertEquals(7, f.listenOverflows(), "the namespace's overflows since first seen full");
            f = detector.detect(List.of(listener), Map.of(listener.id(), row(server, 0)), new ListenCounters(17, 30),
                    t0 + 30_000).get(0);
            assertEquals(2, f.timesSeenFull(), "emptied: still a finding within the quiet period");
            assertEquals(t0 + 2_000, f.lastFullMillis());
            assertEquals(List.of(), detector.detect(List.of(listener), Map.of(listener.id(), row(server, 0)),
                    new ListenCounters(17, 30), t0 + 2_000 + SaturationDetector.MIN_QUIET_MILLIS), "quiet a minute");
        }
    }

    @Test
    void listenCountersComeFromTheTcpExtLines() {
        ListenCounters c = ListenCounters.parse("TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPHPHits",
                "TcpExt: 0 12 15 99");
        assertEquals(new ListenCounters(12, 15), c);
        assertEquals(ListenCounters.UNKNOWN, ListenCounters.parse("TcpExt: SyncookiesSent", "TcpExt: 0"));
    }

    private static KernelSocket row(ServerSocket server, long depth) {
        return new KernelSocket(server.getInetAddress(), server.getLocalPort(), InetAddress.getLoopbackAddress(), 0,
                KernelSocket.LISTEN, 0, depth, 1);
    }
}
