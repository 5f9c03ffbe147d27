package dev.hotbind.audit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;

/** This process's socket descriptors and their kernel inodes, from the links in {@code /proc/self/fd}. */
public final class FdInodes {
    private static final Path FD_DIR = Path.of("/proc/self/fd");
    private static final String PREFIX = "socket:[";

    private FdInodes() {
    }

    /** The inode in a link target such as {@code socket:[12345]}, or -1 for anything else. */
    public static long socketInode(String linkTarget) {
        if (!linkTarget.startsWith(PREFIX) || !linkTarget.endsWith("]")) {
            return -1;
        }
        try {
            return Long.parseLong(linkTarget.substring(PREFIX.length(), linkTarget.length() - 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The socket inode behind one descriptor, or -1. */
    public static long of(int fd) {
        return fd < 0 ? -1 : inodeAt(FD_DIR.resolve(Integer.toString(fd)));
    }

    private static long inodeAt(Path link) {
        try {
            return socketInode(Files.readSymbolicLink(link).toString());
        } catch (IOException | RuntimeException closedOrNotALink) {
            return -1;
        }
    }

    /** Socket inode to descriptor for every open descriptor not {@code skipped} (known ones need no look). */
    public static Map<Long, Integer> scan(IntPredicate skipped) throws IOException {
        return scan(FD_DIR, skipped);
    }

    /** The same for the descriptors in {@code fdDir}: another process's {@code /proc/<pid>/fd}, if ours to read. */
    public static Map<Long, Integer> scan(Path fdDir, IntPredicate skipped) throws IOException {
        Map<Long, Integer> inodes = new HashMap<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path link : fds) {
                int fd;
                try {
                    fd = Integer.parseInt(link.getFileName().toString());
                } catch (NumberFormatException e) {
                    continue;
                }
                if (skipped.test(fd)) {
                    continue;
                }
                long inode = inodeAt(link);
                if (inode >= 0) {
                    inodes.put(inode, fd);
                }
            }
        }
        return inodes;
    }
}
