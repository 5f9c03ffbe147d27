package dev.hotbind.options;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as operators write them in agent options: {@code 500ms}, {@code 30s}, {@code 2m}. */
public final class DurationText {
    /** What {@link #parse} accepts, for error messages. */
    public static final String ACCEPTED = "a whole number followed by ms, s or m (500ms, 30s, 2m)";

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m)");

    private DurationText() {
    }

    /** Parses {@code text}; throws {@link IllegalArgumentException} naming {@link #ACCEPTED} otherwise. */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; expected " + ACCEPTED);
        }
        long amount = Long.parseLong(m.group(1));
        switch (m.group(2)) {
            case "ms":
                return Duration.ofMillis(amount);
            case "s":
                return Duration.ofSeconds(amount);
            default:
                return Duration.ofMinutes(amount);
        }
    }

    /** The shortest exact form: {@code 2m}, {@code 30s}, {@code 500ms}. */
    public static String format(Duration d) {
        long millis = d.toMillis();
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0 && millis > 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
