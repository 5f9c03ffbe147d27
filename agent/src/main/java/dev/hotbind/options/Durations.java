package dev.hotbind.options;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them: {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
public final class Durations {
    /** What {@link #parseMillis} accepts, for messages. */
    public static final String SYNTAX = "a whole number with a unit: ms, s, m or h (e.g. 500ms, 30s, 2m)";

    private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h)");

    private Durations() {
    }

    /** Milliseconds, or -1 when {@code text} is not a duration. */
    public static long parseMillis(String text) {
        Matcher m = DURATION.matcher(text.trim());
        if (!m.matches()) {
            return -1;
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return amount;
            case "s":
                return amount * 1_000;
            case "m":
                return amount * 60_000;
            default:
                return amount * 3_600_000;
        }
    }

    /** The shortest exact form: {@code 1500ms}, {@code 30s}, {@code 2m}. */
    public static String format(long millis) {
        if (millis % 3_600_000 == 0 && millis != 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis != 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1_000 == 0 && millis != 0) {
            return millis / 1_000 + "s";
        }
        return millis + "ms";
    }
}
