package dev.hotbind.rebind;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the kernel hands connections still queued on a closing listener to another socket of its
 * SO_REUSEPORT group ({@code net.ipv4.tcp_migrate_req}, per network namespace). hotbind only reads
 * it: changing system settings is the operator's decision.
 */
final class Migration {
    private static final Path SETTING = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private Migration() {
    }

    /** "1", "0", or null when the kernel has no such setting (older than 5.14) or it is unreadable. */
    static String value() {
        try {
            return Files.readString(SETTING).trim();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    static boolean enabled() {
        return "1".equals(value());
    }

    static String note() {
        String value = value();
        if ("1".equals(value)) {
            return "net.ipv4.tcp_migrate_req=1: on a shared port the kernel hands over what is queued or still in "
                    + "its handshake on the old socket";
        }
        return "net.ipv4.tcp_migrate_req=" + (value == null ? "unavailable" : value)
                + ": a connection still in its handshake on the old socket as it closes is reset (with 1 the kernel "
                + "hands such connections to another socket on the same port)";
    }
}
