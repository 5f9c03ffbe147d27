package dev.hotbind.discovery;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the discovery at an attach found and what it cost. {@code unreached}: listening sockets of this
 * process the kernel shows that no object found matched, by inode, with why; {@code limits}: the JDK
 * structures that could not be read here, so that what they would have shown is missing.
 */
public record DiscoveryReport(int listeners, int acceptThreads, int connections, long walkNanos,
                              Map<Long, String> unreached, List<String> limits) {
    public static final DiscoveryReport NONE =
            new DiscoveryReport(0, 0, 0, 0, Map.of(), List.of("no discovery: hotbind was loaded at start-up"));

    public String summary() {
        if (this == NONE) {
            return limits.get(0);
        }
        return String.format(Locale.ROOT, "found at the attach in %.1f ms: %d listener(s), %d thread(s) inside accept, "
                + "%d open connection(s) accepted before the attach", walkNanos / 1e6, listeners, acceptThreads,
                connections)
                + (unreached.isEmpty() ? "" : "; " + unreached.size() + " listening socket(s) not reached")
                + (limits.isEmpty() ? "" : "; not readable on this JVM: " + String.join("; ", limits));
    }
}
