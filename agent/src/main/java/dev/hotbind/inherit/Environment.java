package dev.hotbind.inherit;

import dev.hotbind.audit.FdInodes;
import dev.hotbind.audit.KernelSocket;
import dev.hotbind.audit.ProcNetTcp;
import dev.hotbind.options.Inherit;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds the inherited sockets the {@code inherit} option names: systemd's protocol (sd_listen_fds(3):
 * {@code LISTEN_PID} must be this process, {@code LISTEN_FDS} sockets from descriptor 3, named by
 * {@code LISTEN_FDNAMES}), or the descriptors listed. Each is checked to be a listening TCP socket
 * from {@code /proc}: a UDP, Unix-domain or closed descriptor is listed with the reason, never used.
 */
public final class Environment {
    /** What systemd sets for the process it passes sockets to. */
    static final List<String> SYSTEMD_VARIABLES = List.of("LISTEN_PID", "LISTEN_FDS", "LISTEN_FDNAMES");
    /** SD_LISTEN_FDS_START. */
    static final int FIRST_FD = 3;
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final List<Path> TCP_TABLES = List.of(Path.of("/proc/self/net/tcp"), Path.of("/proc/self/net/tcp6"));

    private Environment() {
    }

    /** The sockets {@code option} names in this process; a summary line goes to stderr. */
    public static Inheritance read(Inherit option) {
        Inheritance inheritance = read(option, System.getenv(), ProcessHandle.current().pid());
        for (String line : inheritance.describe()) {
            System.err.println("hotbind: inherit: " + line);
        }
        return inheritance;
    }

    static Inheritance read(Inherit option, Map<String, String> env, long pid) {
        List<InheritedSocket> sockets = new ArrayList<>();
        if (!option.systemd()) {
            for (Inherit.Entry entry : option.entries()) {
                sockets.add(inspect(entry.fd(), "", entry));
            }
            return new Inheritance(sockets, "", false);
        }
        String listenPid = env.get("LISTEN_PID");
        String listenFds = env.get("LISTEN_FDS");
        if (listenFds == null || listenPid == null) {
            return Inheritance.none("no socket from systemd: LISTEN_FDS and LISTEN_PID are not both set "
                    + "(LISTEN_FDS=" + listenFds + ", LISTEN_PID=" + listenPid + "); every bind binds as usual");
        }
        long forPid;
        int count;
        try {
            forPid = Long.parseLong(listenPid.trim());
            count = Integer.parseInt(listenFds.trim());
        } catch (NumberFormatException e) {
            return Inheritance.none("no socket from systemd: LISTEN_PID=" + listenPid + " LISTEN_FDS="
                    + listenFds + " are not numbers; every bind binds as usual");
        }
        if (forPid != pid) {
            return Inheritance.none("no socket from systemd: LISTEN_PID=" + forPid + " is not this JVM (pid "
                    + pid + "): the sockets are another process's (a wrapper that forked java instead of exec'ing "
                    + "it?); descriptors from " + FIRST_FD + " are left alone");
        }
        if (count < 1 || count > 1024) {
            return Inheritance.none("no socket from systemd: LISTEN_FDS=" + count + " is not 1-1024");
        }
        String[] names = env.getOrDefault("LISTEN_FDNAMES", "").split(":", -1);
        for (int i = 0; i < count; i++) {
            sockets.add(inspect(FIRST_FD + i, i < names.length ? names[i] : "", null));
        }
        return new Inheritance(sockets, "", true);
    }

    private static InheritedSocket inspect(int fd, String name, Inherit.Entry entry) {
        String link;
        try {
            link = Files.readSymbolicLink(FD_DIR.resolve(Integer.toString(fd))).toString();
        } catch (NoSuchFileException e) {
            return new InheritedSocket(fd, name, null, "descriptor " + fd + " is not open in this process", entry);
        } catch (IOException e) {
            return new InheritedSocket(fd, name, null, "cannot read /proc/self/fd/" + fd + ": " + e, entry);
        }
        long inode = FdInodes.socketInode(link);
        if (inode < 0) {
            return new InheritedSocket(fd, name, null, "descriptor " + fd + " is not a socket (" + link + ")", entry);
        }
        for (Path table : TCP_TABLES) {
            try {
                for (KernelSocket row : ProcNetTcp.parse(Files.readString(table))) {
                    if (row.inode() == inode && row.listening()) {
                        return new InheritedSocket(fd, name, new InetSocketAddress(row.localAddress(),
                                row.localPort()), null, entry);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // a table that cannot be read (no IPv6) holds none of this process's sockets
            }
        }
        return new InheritedSocket(fd, name, null, "descriptor " + fd + " (" + link + ") is not a listening TCP "
                + "socket (a UDP or Unix-domain socket, or TCP not listening)", entry);
    }
}
