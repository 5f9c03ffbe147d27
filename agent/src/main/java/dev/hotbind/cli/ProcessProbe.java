package dev.hotbind.cli;

import dev.hotbind.audit.FdInodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the operating system says about a pid before we attach. The JDK 17 Attach API starts a
 * target's attach listener by sending SIGQUIT, which kills a process that is not a JVM, so we only
 * send it to a process that handles that signal (as JDK 21+ checks itself).
 */
final class ProcessProbe {
    private static final int SIGQUIT = 3;

    private final long pid;
    private final Optional<ProcessHandle> process;

    ProcessProbe(long pid) {
        this.pid = pid;
        this.process = ProcessHandle.of(pid);
    }

    boolean exists() {
        return process.isPresent() && process.get().isAlive();
    }

    /** "pid 42 (/usr/bin/sleep)" for messages; just "pid 42" when the OS does not tell the command. */
    String describe() {
        return "pid " + pid + process.flatMap(p -> p.info().command()).map(c -> " (" + c + ")").orElse("");
    }

    /** The owner when it differs from ours and we are not root (who may attach to anyone). */
    Optional<String> foreignOwner() {
        String me = ProcessHandle.current().info().user().orElse(System.getProperty("user.name"));
        Optional<String> owner = process.flatMap(p -> p.info().user());
        if (owner.isEmpty() || owner.get().equals(me) || "root".equals(me)) {
            return Optional.empty();
        }
        return owner;
    }

    /**
     * False only when Linux's /proc shows the process neither handles SIGQUIT nor holds an attach
     * socket open: then it cannot be a JVM that answers attach, and the signal would harm it.
     */
    boolean mayAnswerAttach() {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        List<String> lines;
        try {
            lines = Files.readAllLines(status);
        } catch (IOException | SecurityException e) {
            return true; // not Linux, or not readable: the Attach API will say what it finds
        }
        long caught = 0;
        String nsPid = Long.toString(pid);
        for (String line : lines) {
            if (line.startsWith("SigCgt:")) {
                caught = Long.parseUnsignedLong(line.substring("SigCgt:".length()).trim(), 16);
            } else if (line.startsWith("NSpid:")) {
                String[] ids = line.substring("NSpid:".length()).trim().split("\\s+");
                nsPid = ids[ids.length - 1];
            }
        }
        boolean handlesQuit = (caught & (1L << (SIGQUIT - 1))) != 0;
        return handlesQuit || holdsAttachSocket("/tmp/.java_pid" + nsPid);
    }

    /**
     * Whether the process has the attach socket {@code path} (as its own mount namespace names it) open.
     * The file alone proves nothing: a JVM killed with SIGKILL leaves its socket file behind, and the
     * kernel hands its pid to a later process (seen: a {@code sleep} given a dead JVM's pid, which the
     * Attach API then tried to reach through the dead socket).
     */
    private boolean holdsAttachSocket(String path) {
        Path proc = Path.of("/proc", Long.toString(pid));
        if (!Files.exists(proc.resolve("root" + path))) {
            return false;
        }
        try {
            Set<Long> bound = new HashSet<>();
            // columns: Num RefCount Protocol Flags Type St Inode Path
            for (String line : Files.readAllLines(proc.resolve("net/unix"))) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 8 && fields[7].equals(path)) {
                    bound.add(Long.parseLong(fields[6]));
                }
            }
            return !bound.isEmpty() && !Collections.disjoint(FdInodes.scan(proc.resolve("fd"), fd -> false).keySet(),
                    bound);
        } catch (IOException | SecurityException | NumberFormatException e) {
            return true; // cannot tell: the Attach API will say what it finds
        }
    }
}
