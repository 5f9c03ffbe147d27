package dev.hotbind.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The TCP ports a process listens on, as the Linux kernel sees them: LISTEN sockets of
 * {@code /proc/<pid>/net/tcp} and {@code tcp6} whose inode is one of the process's descriptors.
 */
public final class ListeningSockets {
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    public static boolean available() {
        return Files.isReadable(Path.of("/proc/self/net/tcp"));
    }

    public static Set<Integer> portsOf(long pid) throws IOException {
        return new TreeSet<>(listening(pid));
    }

    /** How many distinct listening sockets of the process are on {@code port}. */
    public static int socketsOn(long pid, int port) throws IOException {
        return java.util.Collections.frequency(listening(pid), port);
    }

    /** The port of each listening socket of the process, once per socket. */
    private static List<Integer> listening(long pid) throws IOException {
        Set<String> inodes = socketInodes(pid);
        List<Integer> sockets = new ArrayList<>();
        for (String[] f : listenRows(Path.of("/proc", Long.toString(pid), "net"))) {
            if (inodes.contains(f[9])) {
                sockets.add(port(f));
            }
        }
        return sockets;
    }

    /** The fields of every LISTEN row in {@code net}'s tcp and tcp6 tables. */
    private static List<String[]> listenRows(Path net) throws IOException {
        List<String[]> rows = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            Path file = net.resolve(table);
            if (!Files.isReadable(file)) {
                continue;
            }
            for (String line : Files.readAllLines(file)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && LISTEN.equals(f[3])) {
                    rows.add(f);
                }
            }
        }
        return rows;
    }

    private static int port(String[] row) {
        return Integer.parseInt(row[1].substring(row[1].lastIndexOf(':') + 1), 16);
    }

    /** The link target of descriptor {@code fd} of process {@code pid}, e.g. {@code socket:[12345]}. */
    public static String descriptor(long pid, int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", Integer.toString(fd))).toString();
    }

    /**
     * The accept queue's limit the kernel applies to the loopback listener on {@code port} (what the
     * application's backlog became), as {@code ss -ltn} shows it in Send-Q: the kernel reports it over
     * netlink only, {@code /proc/net/tcp} has no column for it.
     */
    public static long backlogOf(int port) throws IOException, InterruptedException {
        Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + port).redirectErrorStream(true).start();
        String out = new String(ss.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!ss.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) || ss.exitValue() != 0) {
            throw new IOException("ss failed: " + out);
        }
        List<String> rows = out.lines().filter(l -> l.startsWith("LISTEN")).toList();
        if (rows.size() != 1) {
            throw new IOException("not one listener on port " + port + ": " + out);
        }
        return Long.parseLong(rows.get(0).trim().split("\\s+")[2]);
    }

    /**
     * Connections waiting in the accept queue of this network namespace's listener on {@code port} (the
     * LISTEN row's rx_queue, as {@code ss -ltn} shows in Recv-Q); -1 if no listener is on that port.
     */
    public static long acceptQueueOf(int port) throws IOException {
        for (String[] f : listenRows(Path.of("/proc/self/net"))) {
            if (port(f) == port) {
                return Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
            }
        }
        return -1;
    }

    /**
     * Both ends of the loopback connection from {@code clientPort} to {@code serverPort} as the kernel
     * shows them (state, queues, the inode and the process holding it), or that it has no such end: the
     * evidence of where a connection that got no answer is stuck.
     */
    public static String connectionEnds(int clientPort, int serverPort) {
        StringBuilder ends = new StringBuilder();
        for (String[] f : connectionRows(clientPort, serverPort)) {
            ends.append(port(f) == serverPort ? "server end" : "client end").append(" state ").append(f[3])
                    .append(" queues ").append(f[4]).append(" inode ").append(f[9])
                    .append(" held by ").append(holderOf(f[9])).append("; ");
        }
        return ends.length() == 0 ? "no end of that connection in the TCP table" : ends.toString();
    }

    /** Whether the kernel has a server end (a socket on {@code serverPort} whose peer is {@code clientPort}). */
    public static boolean serverEndExists(int clientPort, int serverPort) {
        return connectionRows(clientPort, serverPort).stream().anyMatch(f -> port(f) == serverPort);
    }

    /** The rows of /proc/self/net/tcp and tcp6 joining the two ports, either way round. */
    private static List<String[]> connectionRows(int clientPort, int serverPort) {
        List<String[]> rows = new ArrayList<>();
        for (String table : List.of("tcp", "tcp6")) {
            try {
                for (String line : Files.readAllLines(Path.of("/proc/self/net", table))) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length <= 9 || f[0].equals("sl")) {
                        continue;
                    }
                    int local = port(f);
                    int remote = Integer.parseInt(f[2].substring(f[2].lastIndexOf(':') + 1), 16);
                    boolean fromClient = local == clientPort && remote == serverPort;
                    if (fromClient || (local == serverPort && remote == clientPort)) {
                        rows.add(f);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("the TCP table " + table + " could not be read", e);
            }
        }
        return rows;
    }

    /**
     * The pid/fd whose descriptor is the socket {@code inode}, or "no process" (inode 0: a handshake
     * request or an orphaned socket, which no file holds).
     */
    private static String holderOf(String inode) {
        String link = "socket:[" + inode + "]";
        try (Stream<Path> pids = Files.list(Path.of("/proc"))) {
            for (Path pid : (Iterable<Path>) pids::iterator) {
                if (!pid.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try (Stream<Path> fds = Files.list(pid.resolve("fd"))) {
                    for (Path fd : (Iterable<Path>) fds::iterator) {
                        try {
                            if (Files.readSymbolicLink(fd).toString().equals(link)) {
                                return "pid " + pid.getFileName() + " fd " + fd.getFileName();
                            }
                        } catch (IOException closedMeanwhile) {
                            // a descriptor closed while we listed them
                        }
                    }
                } catch (IOException notOurs) {
                    // a process that ended, or one we may not look into
                }
            }
        } catch (IOException e) {
            return "(processes could not be listed: " + e + ")";
        }
        return "no process";
    }

    private static Set<String> socketInodes(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException closedMeanwhile) {
                    // a descriptor closed while we listed them
                }
            }
        }
        return inodes;
    }
}
