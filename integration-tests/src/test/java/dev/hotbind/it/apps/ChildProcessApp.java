package dev.hotbind.it.apps;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/**
 * Binds a ServerSocket on {@link Replies#port()}, then starts a child shell through ProcessBuilder and
 * one through Runtime.exec, each printing the systemd variables it got and what its shell's descriptor 3
 * is (the pipe of the command substitution that reads it, never the inherited socket).
 */
public final class ChildProcessApp {
    private static final String SHOW = "echo \"$0 LISTEN_PID=[$LISTEN_PID] LISTEN_FDS=[$LISTEN_FDS] "
            + "LISTEN_FDNAMES=[$LISTEN_FDNAMES] fd3=[$(readlink /proc/$$/fd/3)]\"";

    private ChildProcessApp() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), Replies.port()));
            System.out.println("jvm LISTEN_FDS=[" + System.getenv("LISTEN_FDS") + "]");
            System.out.println(run(new ProcessBuilder("sh", "-c", SHOW, "processbuilder").start()));
            System.out.println(run(Runtime.getRuntime().exec(new String[] {"sh", "-c", SHOW, "runtime-exec"})));
            Replies.ready("child", server.getLocalPort());
            // until the test ends it: the test reads its listener meanwhile
            new java.util.concurrent.CountDownLatch(1).await();
        }
    }

    private static String run(Process child) throws IOException, InterruptedException {
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        child.waitFor();
        return out;
    }
}
