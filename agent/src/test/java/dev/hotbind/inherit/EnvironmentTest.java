package dev.hotbind.inherit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.hotbind.jdk.Descriptors;
import dev.hotbind.jdk.JdkListener;
import dev.hotbind.options.AgentOptions;
import dev.hotbind.options.Inherit;
import java.io.FileInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the inherit option finds in this very process: its real descriptors, read from /proc. */
class EnvironmentTest {
    private static final long PID = ProcessHandle.current().pid();

    @Test
    void systemdsVariablesForAnotherProcessAreLeftAlone() {
        Inherit systemd = AgentOptions.parse("inherit=systemd").inherit();
        assertEquals(List.of("no socket from systemd: LISTEN_PID=1 is not this JVM (pid " + PID + "): the sockets "
                + "are another process's (a wrapper that forked java instead of exec'ing it?); descriptors from 3 "
                + "are left alone"), Environment.read(systemd, Map.of("LISTEN_PID", "1", "LISTEN_FDS", "1"), PID)
                .describe());
        assertEquals(List.of("no socket from systemd: LISTEN_FDS and LISTEN_PID are not both set (LISTEN_FDS=null, "
                + "LISTEN_PID=null); every bind binds as usual"), Environment.read(systemd, Map.of(), PID).describe());
        assertEquals(List.of("no socket from systemd: LISTEN_FDS=0 is not 1-1024"), Environment.read(systemd,
                Map.of("LISTEN_PID", Long.toString(PID), "LISTEN_FDS", "0"), PID).describe());
    }

    @Test
    void onlyAListeningTcpSocketIsUsableAndEachOtherSaysWhy() throws Exception {
        try (ServerSocketChannel listening = ServerSocketChannel.open();
             ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
             FileInputStream file = new FileInputStream("/dev/null")) {
            listening.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            unix.bind(null);
            // a Unix-domain socket's file outlives the socket
            java.nio.file.Files.delete(((java.net.UnixDomainSocketAddress) unix.getLocalAddress()).getPath());
            int port = ((InetSocketAddress) listening.getLocalAddress()).getPort();
            int tcpFd = JdkListener.fdOf(listening);
            int unixFd = JdkListener.fdOf(unix);
            int fileFd = Descriptors.number(file.getFD());
            Inherit list = AgentOptions.parse("inherit=" + tcpFd + ":8080," + unixFd + ":8081," + fileFd
                    + ":8082,100000:8083").inherit();
            List<String> lines = Environment.read(list, Map.of(), PID).describe();
            assertEquals(List.of(
                    "fd " + tcpFd + " 127.0.0.1:" + port + ": unmatched: no application bind matched it yet (waiting "
                            + "for a bind of port 8080)",
                    "fd " + unixFd + ": unusable: descriptor " + unixFd + " (" + link(unixFd) + ") is not a listening TCP "
                            + "socket (a UDP or Unix-domain socket, or TCP not listening)",
                    "fd " + fileFd + ": unusable: descriptor " + fileFd + " is not a socket (/dev/null)",
                    "fd 100000: unusable: descriptor 100000 is not open in this process"), lines);
        }
    }

    private static String link(int fd) throws Exception {
        return java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/fd/" + fd)).toString();
    }
}
