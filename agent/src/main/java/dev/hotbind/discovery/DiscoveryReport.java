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
    /** While the discovery of an attach runs: the Agent MBean may already be up, built meanwhile. */
    public static final DiscoveryReport RUNNING =
            new DiscoveryReport(0, 0, 0, 0, Map.of(), List.of("the discovery at the attach is still running"));

    public String summary() {
        if (this == NONE || this == RUNNING) {
            return limits.get(0);
        }
        return String.format(Locale.ROOT, "found at the attach in %.1f ms: %d listener(s), %d thread(s) inside accept, "
                + "%d open connection(s) accepted before the attach", walkNanos / 1e6, listeners, acceptThreads,
                connections)
                + (unreached.isEmpty() ? "" : "; " + unreached.size() + " listening socket(s) not reached")
                + (limits.isEmpty() ? "" : "; not readable on this JVM: " + String.join("; ", limits));
    }
}
