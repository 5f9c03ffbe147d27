package dev.hotbind.options;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The agent's options, {@code key=value,key=value}, parsed strictly: an unknown key or a bad value is
 * an {@link IllegalArgumentException} whose message names the option and what it accepts.
 */
public final class AgentOptions {
    /** The longest drain an option or an operator may ask for: 24 hours. */
    public static final long MAX_DRAIN_MILLIS = 86_400_000L;
    /** The longest an application's bind may be held waiting for its port: 1 hour. */
    private static final long MAX_BIND_RETRY_MILLIS = 3_600_000L;

    /** Known keys and what each accepts, in the order they are documented. */
    private static final Map<String, String> ACCEPTED = new LinkedHashMap<>();

    static {
        ACCEPTED.put("history", "a whole number from 1 to 100000 (closed listeners and connections kept)");
        ACCEPTED.put("drainOnShutdown", "a duration from 1ms to 24h, " + Durations.SYNTAX
                + " (on JVM exit, drain every listener for at most that long)");
        ACCEPTED.put("reuseport", "true or false (set SO_REUSEPORT on every listener before it binds)");
        ACCEPTED.put("keepalive", KeepAlive.SYNTAX + " (TCP keepalive on every accepted connection)");
        ACCEPTED.put("auditInterval", "a duration from 100ms to 10m, " + Durations.SYNTAX
                + " (how often the orphan audit runs)");
        ACCEPTED.put("acceptStallThreshold", "a duration from 100ms to 1000m, " + Durations.SYNTAX
                + " (how long connections may wait in a listener's accept queue with no accept before it is orphaned)");
        ACCEPTED.put("closeWaitThreshold", "a duration from 100ms to 1000m, " + Durations.SYNTAX
                + " (how long a connection may stay in CLOSE_WAIT before it is orphaned)");
        ACCEPTED.put("spinThreshold", "a whole number from 1 to 1000000 (failed accepts on a closed listener that "
                + "make the calling thread an orphaned accept thread)");
        ACCEPTED.put("drainDelay", "a duration from 1ms to 24h, " + Durations.SYNTAX
                + " (with drainOnShutdown: on JVM exit, keep accepting for that long before the drain releases the ports)");
        ACCEPTED.put("bindRetry", "a duration from 1ms to 1h, " + Durations.SYNTAX
                + " (an application bind refused with 'Address already in use' is retried until the port frees "
                + "or that long has passed; then the application gets its original exception)");
        ACCEPTED.put("inherit", Inherit.SYNTAX + " (an application bind of a matching address gets the inherited "
                + "listening socket under its own object instead of a new one)");
    }

    /** Options a running agent cannot take from a repeat attach, and why. */
    private static final Map<String, String> FIXED = Map.of("history",
            "it sizes the history tables when hotbind starts", "inherit",
            "the inherited sockets are taken over when hotbind starts");

    private final Map<String, String> given;
    private final int history;
    private final long drainOnShutdownMillis;
    private final boolean reusePort;
    private final KeepAlive keepAlive;
    private final Duration auditInterval;
    private final Duration acceptStallThreshold;
    private final Duration closeWaitThreshold;
    private final int spinThreshold;
    private final long drainDelayMillis;
    private final long bindRetryMillis;
    private final Inherit inherit;

    private AgentOptions(Map<String, String> given) {
        this(given, true);
    }

    private AgentOptions(Map<String, String> given, boolean whole) {
        this.given = given;
        this.history = intOption(given, "history", 256, 1, 100_000);
        this.drainOnShutdownMillis = durationOption(given, "drainOnShutdown", 0, 1, MAX_DRAIN_MILLIS);
        this.reusePort = booleanOption(given, "reuseport");
        this.keepAlive = given.containsKey("keepalive") ? valid(given, "keepalive",
                KeepAlive.parse(given.get("keepalive")))
                : null;
        this.auditInterval = Duration.ofMillis(durationOption(given, "auditInterval", 5_000, 100, 600_000));
        this.acceptStallThreshold = Duration.ofMillis(durationOption(given, "acceptStallThreshold", 30_000, 100,
                60_000_000));
        this.closeWaitThreshold = Duration.ofMillis(durationOption(given, "closeWaitThreshold", 60_000, 100,
                60_000_000));
        this.spinThreshold = intOption(given, "spinThreshold", 20, 1, 1_000_000);
        this.drainDelayMillis = durationOption(given, "drainDelay", 0, 1, MAX_DRAIN_MILLIS);
        this.bindRetryMillis = durationOption(given, "bindRetry", 0, 1, MAX_BIND_RETRY_MILLIS);
        this.inherit = given.containsKey("inherit") ? Inherit.parse(given.get("inherit")) : null;
        if (whole && drainDelayMillis > 0 && drainOnShutdownMillis == 0) {
            throw new IllegalArgumentException("option 'drainDelay' needs drainOnShutdown: the delay comes before "
                    + "the drain on JVM exit");
        }
    }

    public static AgentOptions defaults() {
        return new AgentOptions(Map.of());
    }

    public static AgentOptions parse(String text) {
        return new AgentOptions(given(text));
    }

    /**
     * A repeat attach's options: each checked on its own; how they combine is checked once they are
     * laid over those in effect ({@link #with}), e.g. drainDelay over a drainOnShutdown already set.
     */
    public static AgentOptions parseChanges(String text) {
        return new AgentOptions(given(text), false);
    }

    private static Map<String, String> given(String text) {
        Map<String, String> given = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            String previous = null;
            for (String part : text.split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq < 0 && "inherit".equals(previous) && !part.isBlank()) {
                    // inherit=3:8080,4:8443: the list goes on past the comma that separates options
                    given.put(previous, given.get(previous) + "," + part.trim());
                    continue;
                }
                String key = (eq < 0 ? part : part.substring(0, eq)).trim();
                if (key.isEmpty()) {
                    throw new IllegalArgumentException("empty option in '" + text + "'; expected key=value,key=value with keys: "
                            + String.join(", ", ACCEPTED.keySet()));
                }
                if (!ACCEPTED.containsKey(key)) {
                    throw new IllegalArgumentException("unknown option '" + key + "'; accepted: " + describeAccepted());
                }
                if (eq < 0 || part.substring(eq + 1).trim().isEmpty()) {
                    throw new IllegalArgumentException("option '" + key + "' needs a value: " + ACCEPTED.get(key));
                }
                if (given.put(key, part.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException("option '" + key + "' is given twice");
                }
                previous = key;
            }
        }
        return given;
    }

    public int history() {
        return history;
    }

    /** 0 when the JVM's exit is not to wait for a drain. */
    public long drainOnShutdownMillis() {
        return drainOnShutdownMillis;
    }

    public boolean reusePort() {
        return reusePort;
    }

    /** null when accepted connections keep the keepalive the application gives them. */
    public KeepAlive keepAlive() {
        return keepAlive;
    }

    public Duration auditInterval() {
        return auditInterval;
    }

    public Duration acceptStallThreshold() {
        return acceptStallThreshold;
    }

    public Duration closeWaitThreshold() {
        return closeWaitThreshold;
    }

    public int spinThreshold() {
        return spinThreshold;
    }

    /** 0 when the drain on exit begins at once. */
    public long drainDelayMillis() {
        return drainDelayMillis;
    }

    /** 0 when a bind refused with "Address already in use" fails at once, as without hotbind. */
    public long bindRetryMillis() {
        return bindRetryMillis;
    }

    /** null when no inherited socket is to be taken over. */
    public Inherit inherit() {
        return inherit;
    }

    /**
     * These options with {@code changes} (a repeat attach's options) laid over them: the keys given
     * there take their new values, the others keep theirs. Refuses a change of an option that is
     * fixed once hotbind runs.
     */
    public AgentOptions with(AgentOptions changes) {
        Map<String, String> now = effective();
        Map<String, String> next = changes.effective();
        for (Map.Entry<String, String> fixed : FIXED.entrySet()) {
            String key = fixed.getKey();
            if (changes.given.containsKey(key) && !now.get(key).equals(next.get(key))) {
                throw new IllegalArgumentException("option '" + key + "' cannot change while hotbind runs (" + fixed.getValue()
                        + "); it stays " + key + "=" + now.get(key) + " until the JVM restarts; nothing was changed");
            }
        }
        Map<String, String> merged = new LinkedHashMap<>(given);
        merged.putAll(changes.given);
        return new AgentOptions(merged);
    }

    /** What differs from {@code before}, as {@code key before -> after} parts; empty when nothing does. */
    public String changesFrom(AgentOptions before) {
        Map<String, String> was = before.effective();
        StringBuilder out = new StringBuilder();
        effective().forEach((key, value) -> {
            if (!value.equals(was.get(key))) {
                out.append(out.length() == 0 ? "" : ", ").append(key).append(' ').append(was.get(key)).append(" -> ")
                        .append(value);
            }
        });
        return out.toString();
    }

    /** Every option with the value in effect, defaults included, as {@code key=value,...}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        effective().forEach((key, value) -> out.append(out.length() == 0 ? "" : ",").append(key).append('=')
                .append(value));
        return out.toString();
    }

    /** Each option's value in effect as an operator writes it, in the order they are documented. */
    private Map<String, String> effective() {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("history", Integer.toString(history));
        values.put("drainOnShutdown", offOr(drainOnShutdownMillis));
        values.put("reuseport", Boolean.toString(reusePort));
        values.put("keepalive", keepAlive == null ? "off" : keepAlive.toString());
        values.put("auditInterval", Durations.format(auditInterval.toMillis()));
        values.put("acceptStallThreshold", Durations.format(acceptStallThreshold.toMillis()));
        values.put("closeWaitThreshold", Durations.format(closeWaitThreshold.toMillis()));
        values.put("spinThreshold", Integer.toString(spinThreshold));
        values.put("drainDelay", offOr(drainDelayMillis));
        values.put("bindRetry", offOr(bindRetryMillis));
        values.put("inherit", inherit == null ? "off" : inherit.toString());
        return values;
    }

    private static String offOr(long millis) {
        return millis == 0 ? "off" : Durations.format(millis);
    }

    public Map<String, String> given() {
        return Collections.unmodifiableMap(given);
    }

    private static String describeAccepted() {
        StringBuilder out = new StringBuilder();
        ACCEPTED.forEach((key, what) -> out.append(out.length() == 0 ? "" : "; ").append(key).append('=').append(what));
        return out.toString();
    }

    private static long durationOption(Map<String, String> given, String key, long fallback, long min, long max) {
        String value = given.get(key);
        if (value == null) {
            return fallback;
        }
        long millis = Durations.parseMillis(value);
        return valid(given, key, millis >= min && millis <= max ? millis : null);
    }

    private static boolean booleanOption(Map<String, String> given, String key) {
        String value = given.get(key);
        if (value == null) {
            return false;
        }
        return valid(given, key, "true".equalsIgnoreCase(value) ? Boolean.TRUE
                : "false".equalsIgnoreCase(value) ? Boolean.FALSE : null);
    }

    /** {@code parsed}, or the option's one-line error when it is null. */
    private static <T> T valid(Map<String, String> given, String key, T parsed) {
        if (parsed == null) {
            throw new IllegalArgumentException("bad value '" + given.get(key) + "' for option '" + key + "'; expected "
                    + ACCEPTED.get(key));
        }
        return parsed;
    }

    private static int intOption(Map<String, String> given, String key, int fallback, int min, int max) {
        String value = given.get(key);
        if (value == null) {
            return fallback;
        }
        Integer parsed = null;
        try {
            int n = Integer.parseInt(value);
            parsed = n >= min && n <= max ? n : null;
        } catch (NumberFormatException notANumber) {
            // reported by valid() with what is accepted
        }
        return valid(given, key, parsed);
    }
}
