package dev.hotbind.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code net.ipv4.tcp_migrate_req} of the network namespace the tests run in, as the tests read it. */
public final class Migration {
    private Migration() {
    }

    /** "1", "0", or "unavailable" (a kernel older than 5.14, or no /proc). */
    public static String setting() {
        try {
            return Files.readString(Path.of("/proc/sys/net/ipv4/tcp_migrate_req")).trim();
        } catch (IOException e) {
            return "unavailable";
        }
    }

    public static boolean enabled() {
        return "1".equals(setting());
    }
}
