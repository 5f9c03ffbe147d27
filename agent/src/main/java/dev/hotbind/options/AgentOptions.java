package dev.hotbind.options;

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
    }

    private final Map<String, String> given;
    private final int history;

    private AgentOptions(Map<String, String> given) {
        this.given = given;
        this.history = intOption(given, "history", 256, 1, 100_000);
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

    /** Every option with the value in effect, defaults included, as {@code key=value,...}. */
    @Override
    public String toString() {
        return "history=" + history;
    }

    public Map<String, String> given() {
        return Collections.unmodifiableMap(given);
    }

    private static String describeAccepted() {
        StringBuilder out = new StringBuilder();
        ACCEPTED.forEach((key, what) -> out.append(out.length() == 0 ? "" : "; ").append(key).append('=').append(what));
        return out.toString();
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
