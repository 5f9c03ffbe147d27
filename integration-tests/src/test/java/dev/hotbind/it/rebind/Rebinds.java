package dev.hotbind.it.rebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.harness.ChurnClient;
import dev.hotbind.it.harness.ChurnClient.Outcome;
import dev.hotbind.it.harness.FreePort;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Http;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.Migration;
import dev.hotbind.it.harness.OperatedListener;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Locale;
import javax.management.MBeanException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * The rebind suite: what rebind, rebindTo and unbind must do to any listener while its application
 * keeps serving, under connection churn, and that refused operations leave it as it was. The real
 * servers ({@code servers.RebindsListener}) and every accept model ({@link RebindIT}) go through these
 * same checks; each adds only what is its own.
 */
public final class Rebinds {
    public static final int REBINDS = 50;
    private static final Outcome[] FAILURES = {Outcome.REFUSED, Outcome.RESET, Outcome.TIMEOUT, Outcome.DROPPED,
            Outcome.OTHER};

    private Rebinds() {
    }

    /**
     * {@link #REBINDS} same-port rebinds under churn, with requests between them so that each happens
     * under load: renewed in place, the socket is never closed, so no client is refused, reset or left
     * unanswered, with or without tcp_migrate_req; SO_REUSEPORT is not left on. Adds each rebind's
     * microseconds to {@code micros}.
     */
    public static void rebindsUnderChurnFailNoRequest(OperatedListener l, int churnThreads, List<Long> micros)
            throws Exception {
        try (ChurnClient churn = ChurnClient.start(l::port, l.exchange(), churnThreads)) {
            churn.awaitSuccesses(20);
            for (int i = 0; i < REBINDS; i++) {
                CompositeData answer = l.invoke("rebind");
                assertEquals("renewed", answer.get("kind"), summary(answer));
                assertEquals(Http.HOST + ":" + l.port(), answer.get("to"), summary(answer));
                micros.add((Long) answer.get("micros"));
                churn.awaitSuccesses(2);
            }
            churn.awaitSuccesses(20);
            churn.stop();
            System.out.println(l + ": " + REBINDS + " rebinds under churn, " + churn + ", tcp_migrate_req="
                    + Migration.setting());
            for (Outcome failure : FAILURES) {
                assertEquals(0, churn.count(failure), failure + " during rebinds: " + churn);
            }
        }
        assertEquals(Boolean.FALSE, l.attribute("ReusePort"), "SO_REUSEPORT is not left on");
        assertServing(l);
    }

    /**
     * rebindTo a free port while clients that follow the listener churn: nothing fails on the new port,
     * the old one refuses only from the move on, the MBean answers under a name with the new port.
     * {@code host} is the address's host part as the operator types it: {@link Http#HOST}, or empty for
     * "the host it has now". Returns the new port.
     */
    public static int rebindToMovesThePortAndTheClientFollows(OperatedListener l, String host, int churnThreads)
            throws Exception {
        int oldPort = l.port();
        int newPort = FreePort.pick();
        ObjectName before = l.listener();
        try (ChurnClient churn = ChurnClient.start(l::port, l.exchange(), churnThreads)) {
            churn.awaitSuccesses(20);
            long movingSince = System.nanoTime();
            CompositeData answer = l.invoke("rebindTo", host + ":" + newPort);
            // re-registered under its new name before the answer came back: no stale name answers
            assertFalse(HotbindJmx.isRegistered(l.hotbind().connection(), before), before + " still answers");
            l.movedTo(newPort);
            assertEquals("moved", answer.get("kind"), summary(answer));
            assertEquals(Http.HOST + ":" + oldPort, answer.get("from"), summary(answer));
            assertEquals(Http.HOST + ":" + newPort, answer.get("to"), summary(answer));
            churn.awaitSuccesses(20);
            churn.stop();
            // the answer says what was queued on the old socket and what became of it
            String seen = l + ": " + churn + "; rebindTo answered: " + summary(answer).replace('\n', ' ');
            System.out.println("rebindTo " + oldPort + " -> " + newPort + ", " + seen);
            for (Outcome failure : FAILURES) {
                assertEquals(0, churn.count(newPort, failure), failure + " on the new port: " + seen);
            }
            // until the client learns the new port it is refused on the old one, and only then
            Long firstRefusal = churn.firstRefusalNanos(oldPort);
            assertTrue(firstRefusal == null || firstRefusal >= movingSince, "refused before the move: " + seen);
            // What was queued on the old port is handed to the application. A connection caught in its
            // handshake as the old socket closes (microseconds) has no socket of its port left to go to: the
            // kernel resets it, or drops it silently (no server end left; a client that waits for the server
            // to speak first is never told), as it does when an application closes a listener itself
            // (benchmarks: close-control, no agent). At most one per client thread, each having at most one
            // connection under way. Never one that someone holds unanswered (TIMEOUT).
            long caught = churn.count(oldPort, Outcome.RESET) + churn.count(oldPort, Outcome.DROPPED);
            assertTrue(caught <= churnThreads, "handshakes caught beyond one per client thread: " + seen);
            assertEquals(0, churn.count(Outcome.TIMEOUT), seen);
            assertEquals(0, churn.count(Outcome.OTHER), seen);
        }
        assertTrue(Http.refuses(oldPort), "the old port " + oldPort + " still accepts");
        assertEquals(newPort, l.attribute("LocalPort"));
        assertEquals(Http.HOST + ":" + newPort, l.attribute("Address"));
        // answers under a name that shows the new port
        ObjectName after = l.listener();
        assertNotEquals(before, after);
        assertTrue(after.toString().contains(Integer.toString(newPort)), after.toString());
        assertServing(l);
        return newPort;
    }

    /**
     * unbind: the port refuses, a blocking acceptor stays inside accept (not failed, not spinning), and
     * rebind serves again on the same port. Returns unbind's answer.
     */
    public static CompositeData unbindRefusesAndRebindServesAgain(OperatedListener l) throws Exception {
        long failedAccepts = (Long) l.attribute("FailedAccepts");
        CompositeData unbound = l.invoke("unbind");
        assertEquals(Http.HOST + ":" + l.port(), unbound.get("address"), summary(unbound));
        assertEquals("UNBOUND", l.attribute("State"));
        assertTrue(Http.refuses(l.port()), "port " + l.port() + " accepts while unbound; the unbind answered: "
                + summary(unbound) + "; the target listens on " + (ListeningSockets.available()
                ? ListeningSockets.portsOf(l.target().pid()) : "(unknown)"));
        if (l.blocking()) {
            assertTrue(l.acceptorInAccept(),
                    "in accept while unbound: " + String.join(", ", (String[]) l.attribute("AcceptThreads")));
        }
        assertEquals(failedAccepts, l.attribute("FailedAccepts"));
        CompositeData resumed = l.invoke("rebind");
        assertEquals("from-unbound", resumed.get("kind"), summary(resumed));
        assertEquals(Http.HOST + ":" + l.port(), resumed.get("to"), summary(resumed));
        assertServing(l);
        assertEquals(failedAccepts, l.attribute("FailedAccepts"));
        return unbound;
    }

    /**
     * rebindTo addresses that cannot be bound (taken by another socket, not local to this host) fail,
     * each naming why, while clients keep being served; the listener stays where it was.
     */
    public static void unbindableAddressesFailAndKeepServing(OperatedListener l, int churnThreads)
            throws Exception {
        try (ServerSocket other = new ServerSocket(0, 50, InetAddress.getByName(Http.HOST));
             ChurnClient churn = ChurnClient.start(l::port, l.exchange(), churnThreads)) {
            churn.awaitSuccesses(10);
            assertRefused(l, Http.HOST + ":" + other.getLocalPort(), "is taken by another socket",
                    IllegalStateException.class);
            // TEST-NET-1: no interface here has it, so the address is refused before any bind
            assertRefused(l, "192.0.2.1:" + other.getLocalPort(), "192.0.2.1", IllegalArgumentException.class);
            churn.awaitSuccesses(10);
            churn.stop();
            assertEquals(0, churn.failures(), churn.toString());
        }
        assertServing(l);
    }

    /** Malformed addresses fail naming what was typed (or why it is not an address); nothing changes. */
    public static void malformedAddressesFailWithTheReason(OperatedListener l) {
        for (String address : new String[] {"127.0.0.1:99999", "127.0.0.1:http", "[::1:80", "127.0.0.1:-1"}) {
            assertRefused(l, address, address, IllegalArgumentException.class);
        }
        assertRefused(l, "localhost:port", "is not an address", IllegalArgumentException.class);
        assertRefused(l, "", "", IllegalArgumentException.class);
        assertServing(l);
    }

    /**
     * The operation fails with {@code kind} (JDK exceptions any client reads: IllegalArgumentException for a
     * bad argument, IllegalStateException for what cannot be done now), says why (naming {@code expected}),
     * and nothing changed.
     */
    private static void assertRefused(OperatedListener l, String address, String expected,
                                      Class<? extends RuntimeException> kind) {
        int port = l.port();
        MBeanException refused = assertThrows(MBeanException.class, () -> l.invoke("rebindTo", address),
                "rebindTo(\"" + address + "\")");
        String reason = String.valueOf(refused.getCause() == null ? refused.getMessage()
                : refused.getCause().getMessage());
        assertFalse(reason.isBlank(), "no reason given for rebindTo(\"" + address + "\")");
        assertEquals(kind, refused.getTargetException().getClass(), reason);
        assertTrue(reason.toLowerCase(Locale.ROOT).contains(expected.toLowerCase(Locale.ROOT)),
                "rebindTo(\"" + address + "\") failed with \"" + reason + "\", which does not name " + expected);
        assertEquals(port, l.attribute("LocalPort"));
        assertEquals("BOUND", l.attribute("State"));
    }

    /** Bound on the port the tests know, serving, and its application alive and never shown an exception. */
    public static void assertServing(OperatedListener l) {
        assertEquals("BOUND", l.attribute("State"));
        assertEquals(l.port(), l.attribute("LocalPort"));
        assertTrue(l.serves(), l + " does not serve on port " + l.port());
        assertTrue(l.target().process().isAlive(), "target died:\n" + l.target().output());
        assertFalse(l.target().output().contains("Exception"),
                "the application saw an exception:\n" + l.target().output());
    }

    /** An answer's summary, one fact per line, for assertion messages. */
    public static String summary(CompositeData answer) {
        return String.valueOf(answer.get("summary"));
    }
}
