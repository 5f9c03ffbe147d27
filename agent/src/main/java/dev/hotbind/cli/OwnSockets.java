package dev.hotbind.cli;

import dev.hotbind.audit.FdInodes;
import dev.hotbind.audit.KernelSocket;
import dev.hotbind.audit.ProcNetTcp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The local ends of this command's own TCP sockets, as host:port: the JMX connection it opened shows
 * up in the target as a connection accepted by the JVM's JMX connector, and is not the operator's
 * business. Read from Linux's /proc; elsewhere the set is empty and the connection is listed.
 */
final class OwnSockets {
    private OwnSockets() {
    }

    static Set<String> localAddresses() {
        Set<String> own = new HashSet<>();
        try {
            Map<Long, Integer> inodes = FdInodes.scan(fd -> false);
            for (String table : new String[] {"tcp", "tcp6"}) {
                Path path = Path.of("/proc/self/net", table);
                if (!Files.isReadable(path)) {
                    continue;
                }
                for (KernelSocket s : ProcNetTcp.parse(Files.readString(path), state -> true)) {
                    if (inodes.containsKey(s.inode())) {
                        own.add(s.address());
                    }
                }
            }
        } catch (IOException | RuntimeException notLinux) {
            // nothing known: every connection is listed
        }
        return own;
    }
}
