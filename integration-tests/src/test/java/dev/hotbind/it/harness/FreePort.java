package dev.hotbind.it.harness;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** A loopback port free a moment ago, for a server a test asks to listen on a port it names. */
public final class FreePort {
    private FreePort() {
    }

    public static int onLoopback() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }
}
