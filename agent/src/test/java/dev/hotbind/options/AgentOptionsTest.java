package dev.hotbind.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentOptionsTest {

    @Test
    void defaultsAreShownInFull() {
        AgentOptions options = AgentOptions.parse("");
        assertEquals("history=256,drainOnShutdown=off,reuseport=false,keepalive=off"
                + ",auditInterval=5s,acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off,bindRetry=off,inherit=off", options.toString());
        assertEquals(options.toString(), AgentOptions.parse(null).toString());
        assertEquals(0, options.drainOnShutdownMillis());
        assertFalse(options.reusePort());
        assertNull(options.keepAlive());
    }

    @Test
    void parsesDurationsPolicyAndKeepalive() {
        AgentOptions options = AgentOptions.parse("drainOnShutdown=2m, reuseport=true,keepalive=30s/10s/3,history=9");
        assertEquals(120_000, options.drainOnShutdownMillis());
        assertTrue(options.reusePort());
        assertEquals(new KeepAlive(30, 10, 3), options.keepAlive());
        assertEquals("history=9,drainOnShutdown=2m,reuseport=true,keepalive=30s/10s/3"
                + ",auditInterval=5s,acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off,bindRetry=off,inherit=off", options.toString());
        assertEquals(new KeepAlive(120, 0, 0), AgentOptions.parse("keepalive=2m").keepAlive());
        assertTrue(AgentOptions.parse("keepalive=45s/5s").toString().contains(",keepalive=45s/5s,"));
        assertEquals(1_500, AgentOptions.parse("drainOnShutdown=1500ms").drainOnShutdownMillis());
    }

    @Test
    void auditOptionsShareTheDurationSyntax() {
        AgentOptions options = AgentOptions.parse("auditInterval=200ms,closeWaitThreshold=2m,spinThreshold=5");
        assertEquals(200, options.auditInterval().toMillis());
        assertEquals(120_000, options.closeWaitThreshold().toMillis());
        assertEquals(5, options.spinThreshold());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("auditInterval=50ms"));
        assertTrue(e.getMessage().contains("'auditInterval'") && e.getMessage().contains("100ms to 10m"),
                e.getMessage());
    }

    @Test
    void durations() {
        assertEquals(500, Durations.parseMillis("500ms"));
        assertEquals(30_000, Durations.parseMillis("30s"));
        assertEquals(120_000, Durations.parseMillis("2m"));
        assertEquals(3_600_000, Durations.parseMillis("1h"));
        assertEquals(-1, Durations.parseMillis("30"));
        assertEquals(-1, Durations.parseMillis("-5s"));
        assertEquals(-1, Durations.parseMillis("1.5s"));
        assertEquals("1500ms", Durations.format(1_500));
        assertEquals("90s", Durations.format(90_000));
    }

    @Test
    void badValuesNameTheOptionAndWhatIsAccepted() {
        assertEquals("bad value '30' for option 'drainOnShutdown'; expected a duration from 1ms to 24h, "
                + Durations.SYNTAX + " (on JVM exit, drain every listener for at most that long)", message("drainOnShutdown=30"));
        assertTrue(message("drainOnShutdown=25h").startsWith("bad value '25h' for option 'drainOnShutdown'"));
        assertTrue(message("drainOnShutdown=0s").startsWith("bad value '0s' for option 'drainOnShutdown'"));
        assertTrue(message("reuseport=yes").startsWith("bad value 'yes' for option 'reuseport'; expected true or false"));
        for (String bad : new String[] {"500ms", "30", "30s/0s", "30s/10s/0", "30s/10s/3/1", "1.5s", "40000s", "30s/10s/x"}) {
            assertTrue(message("keepalive=" + bad).startsWith("bad value '" + bad + "' for option 'keepalive'; expected "
                    + "<idle>[/<interval>[/<count>]]"), bad);
        }
        assertTrue(message("history=0").startsWith("bad value '0' for option 'history'"));
        assertTrue(message("history=-3").startsWith("bad value '-3' for option 'history'; expected a whole number"));
    }

    @Test
    void unknownKeysListTheAcceptedOnes() {
        String message = message("keepalive=30s,10s,3");
        assertTrue(message.startsWith("unknown option '10s'; accepted: history="), message);
        assertTrue(message.contains("; keepalive=<idle>[/<interval>[/<count>]]"), message);
        assertTrue(message("drain=30s").startsWith("unknown option 'drain'; accepted: "));
        assertEquals("option 'reuseport' needs a value: true or false (set SO_REUSEPORT on every listener before it binds)",
                message("reuseport"));
        assertEquals("option 'reuseport' is given twice", message("reuseport=true,reuseport=false"));
    }

    @Test
    void booleansIgnoreCase() {
        assertTrue(AgentOptions.parse("reuseport=TRUE").reusePort());
        assertTrue(AgentOptions.parse("reuseport=True").reusePort());
        assertFalse(AgentOptions.parse("reuseport=FALSE").reusePort());
    }

    @Test
    void drainDelayComesWithDrainOnShutdown() {
        AgentOptions options = AgentOptions.parse("drainOnShutdown=30s,drainDelay=5s");
        assertEquals(5_000, options.drainDelayMillis());
        assertTrue(options.toString().endsWith(",spinThreshold=20,drainDelay=5s,bindRetry=off,inherit=off"), options.toString());
        assertEquals("option 'drainDelay' needs drainOnShutdown: the delay comes before the drain on JVM exit",
                message("drainDelay=5s"));
    }

    @Test
    void bindRetryTakesADurationUpToAnHour() {
        assertEquals(0, AgentOptions.defaults().bindRetryMillis());
        AgentOptions options = AgentOptions.parse("bindRetry=10s");
        assertEquals(10_000, options.bindRetryMillis());
        assertTrue(options.toString().endsWith(",drainDelay=off,bindRetry=10s,inherit=off"), options.toString());
        assertTrue(message("bindRetry=2h").startsWith("bad value '2h' for option 'bindRetry'; expected a duration "
                + "from 1ms to 1h"), message("bindRetry=2h"));
        assertTrue(message("bindRetry=10").startsWith("bad value '10' for option 'bindRetry'"));
        assertEquals("bindRetry off -> 500ms", AgentOptions.defaults().with(AgentOptions.parseChanges("bindRetry=500ms"))
                .changesFrom(AgentOptions.defaults()));
    }

    @Test
    void aRepeatAttachChangesWhatItGivesAndNothingElse() {
        AgentOptions running = AgentOptions.parse("history=9,auditInterval=1s,drainOnShutdown=10s");
        AgentOptions next = running.with(AgentOptions.parse("reuseport=true,auditInterval=2s,history=9"));
        assertEquals("history=9,drainOnShutdown=10s,reuseport=true,keepalive=off,auditInterval=2s"
                + ",acceptStallThreshold=30s,closeWaitThreshold=1m,spinThreshold=20,drainDelay=off,bindRetry=off,inherit=off", next.toString());
        assertEquals("reuseport false -> true, auditInterval 1s -> 2s", next.changesFrom(running));
        assertEquals("", running.with(AgentOptions.parse("auditInterval=1s")).changesFrom(running));
        IllegalArgumentException fixed = assertThrows(IllegalArgumentException.class,
                () -> running.with(AgentOptions.parse("history=10,reuseport=true")));
        assertEquals("option 'history' cannot change while hotbind runs (it sizes the history tables when hotbind "
                + "starts); it stays history=9 until the JVM restarts; nothing was changed", fixed.getMessage());
    }

    private static String message(String options) {
        return assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse(options)).getMessage();
    }

    @Test
    void inheritTakesSystemdOrAListThatGoesOnPastCommas() {
        assertTrue(AgentOptions.parse("inherit=systemd").inherit().systemd());
        AgentOptions list = AgentOptions.parse("inherit=3:8080,4:127.0.0.1:8443,5:[::1]:9090,history=9");
        assertEquals("3:8080,4:127.0.0.1:8443,5:[0:0:0:0:0:0:0:1]:9090", list.inherit().toString());
        assertEquals(9, list.history());
        assertTrue(list.toString().endsWith(",inherit=3:8080,4:127.0.0.1:8443,5:[0:0:0:0:0:0:0:1]:9090"));
    }

    @Test
    void badInheritValuesSayWhichPartAndWhy() {
        String expected = "; expected systemd (the sockets systemd passes";
        assertTrue(message("inherit=3").startsWith("bad value in option 'inherit' at '3': '3' has no port (fd:port)"
                + expected), message("inherit=3"));
        assertTrue(message("inherit=2:8080").startsWith("bad value in option 'inherit' at '2:8080': fd 2 is out of "
                + "range; fd is a descriptor number from 3 (0-2 are stdin, stdout, stderr)"), message("inherit=2:8080"));
        assertTrue(message("inherit=3:http").startsWith("bad value in option 'inherit' at '3:http': port 'http' is "
                + "not a number"), message("inherit=3:http"));
        assertTrue(message("inherit=3:70000").contains("port 70000 is out of range; port is 1-65535"));
        assertTrue(message("inherit=3:example.org:80").contains("host 'example.org' is not an IP address"));
        assertTrue(message("inherit=3:300.1.1.1:80").contains("host '300.1.1.1' is not an IP address"));
        assertTrue(message("inherit=3:::1:80").contains("an IPv6 host goes in brackets, fd:[v6]:port"));
        assertTrue(message("inherit=3:8080,3:8443").contains("fd 3 is named twice"));
        assertTrue(message("inherit=3:8080,4:8080").contains("two descriptors for the same bind (4:8080)"));
        assertTrue(message("inherit=systemd,3:8080").contains("at 'systemd': 'systemd' has no port"));
        assertEquals("option 'inherit' cannot change while hotbind runs (the inherited sockets are taken over when "
                + "hotbind starts); it stays inherit=off until the JVM restarts; nothing was changed",
                assertThrows(IllegalArgumentException.class, () -> AgentOptions.defaults()
                        .with(AgentOptions.parseChanges("inherit=3:8080"))).getMessage());
    }
}
