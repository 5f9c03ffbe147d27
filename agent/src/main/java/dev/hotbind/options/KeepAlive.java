package dev.hotbind.options;

/**
 * TCP keepalive for accepted connections: {@code <idle>[/<interval>[/<count>]]}, e.g. {@code 30s/10s/3}.
 * The parts are separated by '/', not ',', because ',' separates the agent's options. A part left
 * out keeps the kernel's default (0 here).
 */
public record KeepAlive(int idleSeconds, int intervalSeconds, int count) {
    /** The kernel's limits for TCP_KEEPIDLE / TCP_KEEPINTVL (seconds) and TCP_KEEPCNT. */
    private static final int MAX_SECONDS = 32_767;
    private static final int MAX_COUNT = 127;

    static final String SYNTAX = "<idle>[/<interval>[/<count>]]: idle and interval are durations in whole seconds "
            + "from 1s to " + MAX_SECONDS + "s (e.g. 30s, 2m), count a whole number from 1 to " + MAX_COUNT
            + "; e.g. keepalive=30s/10s/3";

    /** The value, or null when {@code text} does not follow {@link #SYNTAX}. */
    static KeepAlive parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length > 3) {
            return null;
        }
        int idle = seconds(parts[0]);
        int interval = parts.length > 1 ? seconds(parts[1]) : 0;
        int count = parts.length > 2 ? count(parts[2]) : 0;
        if (idle <= 0 || (parts.length > 1 && interval <= 0) || (parts.length > 2 && count <= 0)) {
            return null;
        }
        return new KeepAlive(idle, interval, count);
    }

    private static int seconds(String text) {
        long millis = Durations.parseMillis(text);
        return millis < 1_000 || millis % 1_000 != 0 || millis / 1_000 > MAX_SECONDS ? -1 : (int) (millis / 1_000);
    }

    private static int count(String text) {
        try {
            int n = Integer.parseInt(text.trim());
            return n >= 1 && n <= MAX_COUNT ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public String toString() {
        return Durations.format(idleSeconds * 1_000L)
                + (intervalSeconds > 0 ? "/" + Durations.format(intervalSeconds * 1_000L) : "")
                + (count > 0 ? "/" + count : "");
    }
}
