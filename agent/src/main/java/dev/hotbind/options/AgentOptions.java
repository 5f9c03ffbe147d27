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
    /** Known keys and what each accepts, in the order they are documented. */
    private static final Map<String, String> ACCEPTED = new LinkedHashMap<>();

    static {
        ACCEPTED.put("history", "a whole number from 1 to 100000 (closed listeners and connections kept)");
        ACCEPTED.put("auditInterval", "a duration from 100ms to 10m, " + DurationText.ACCEPTED
                + " (how often the orphan audit runs)");
        ACCEPTED.put("acceptStallThreshold", "a duration from 100ms to 1000m, " + DurationText.ACCEPTED
                + " (how long connections may wait in a listener's accept queue with no accept before it is orphaned)");
        ACCEPTED.put("closeWaitThreshold", "a duration from 100ms to 1000m, " + DurationText.ACCEPTED
                + " (how long a connection may stay in CLOSE_WAIT before it is orphaned)");
        ACCEPTED.put("spinThreshold", "a whole number from 1 to 1000000 (failed accepts on a closed listener that "
                + "make the calling thread an orphaned accept thread)");
    }

    private final Map<String, String> given;
    private final int history;
    private final Duration auditInterval;
    private final Duration acceptStallThreshold;
    private final Duration closeWaitThreshold;
    private final int spinThreshold;

    private AgentOptions(Map<String, String> given) {
        this.given = given;
        this.history = intOption(given, "history", 256, 1, 100_000);
        this.auditInterval = durationOption(given, "auditInterval", Duration.ofSeconds(5), Duration.ofMillis(100),
                Duration.ofMinutes(10));
        this.acceptStallThreshold = durationOption(given, "acceptStallThreshold", Duration.ofSeconds(30),
                Duration.ofMillis(100), Duration.ofMinutes(1000));
        this.closeWaitThreshold = durationOption(given, "closeWaitThreshold", Duration.ofSeconds(60),
                Duration.ofMillis(100), Duration.ofMinutes(1000));
        this.spinThreshold = intOption(given, "spinThreshold", 20, 1, 1_000_000);
    }

    public static AgentOptions defaults() {
        return new AgentOptions(Map.of());
    }

    public static AgentOptions parse(String text) {
        Map<String, String> given = new LinkedHashMap<>();
        if (text != null && !text.isBlank()) {
            for (String part : text.split(",", -1)) {
                int eq = part.indexOf('=');
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
            }
        }
        return new AgentOptions(given);
    }

    public int history() {
        return history;
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

    /** Every option with the value in effect, defaults included, as {@code key=value,...}. */
    @Override
    public String toString() {
        return "history=" + history + ",auditInterval=" + DurationText.format(auditInterval)
                + ",acceptStallThreshold=" + DurationText.format(acceptStallThreshold)
                + ",closeWaitThreshold=" + DurationText.format(closeWaitThreshold)
                + ",spinThreshold=" + spinThreshold;
    }

    public Map<String, String> given() {
        return Collections.unmodifiableMap(given);
    }

    private static String describeAccepted() {
        StringBuilder out = new StringBuilder();
        ACCEPTED.forEach((key, what) -> out.append(out.length() == 0 ? "" : "; ").append(key).append('=').append(what));
        return out.toString();
    }

    private static Duration durationOption(Map<String, String> given, String key, Duration fallback, Duration min,
                                           Duration max) {
        String value = given.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            Duration parsed = DurationText.parse(value);
            if (parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0) {
                return parsed;
            }
        } catch (IllegalArgumentException notADuration) {
            // reported below with what is accepted
        }
        throw new IllegalArgumentException("bad value '" + value + "' for option '" + key + "'; expected "
                + ACCEPTED.get(key));
    }

    private static int intOption(Map<String, String> given, String key, int fallback, int min, int max) {
        String value = given.get(key);
        if (value == null) {
            return fallback;
        }
        try {
            int parsed = Integer.parseInt(value);
            if (parsed >= min && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below with what is accepted
        }
        throw new IllegalArgumentException("bad value '" + value + "' for option '" + key + "'; expected "
                + ACCEPTED.get(key));
    }
}
