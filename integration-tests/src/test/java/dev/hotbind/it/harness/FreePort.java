package dev.hotbind.it.harness;

import java.io.IOException;
import java.net.ServerSocket;

/** A loopback port that was free a moment ago: where a test moves a listener to. */
public final class FreePort {
    private FreePort() {
    }

    /** A port on {@link Http#HOST} that the kernel just handed out and that is closed again. */
    public static int pick() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(Http.HOST))) {
            return probe.getLocalPort();
        }
    }
}
