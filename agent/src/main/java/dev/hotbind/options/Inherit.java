package dev.hotbind.options;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which inherited listening sockets hotbind puts under the application's binds: those systemd passes
 * ({@code systemd}), or an explicit list of {@code fd:port} / {@code fd:host:port}, where the port (and
 * host) are what the application binds, whatever the inherited socket's own address is.
 */
public record Inherit(boolean systemd, List<Entry> entries) {
    static final String SYNTAX = "systemd (the sockets systemd passes: LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES, from "
            + "fd 3) or a list of fd:port or fd:host:port, e.g. inherit=3:8080,4:127.0.0.1:8443 or 5:[::1]:9090 "
            + "(fd a number from 3, host an IP address, port 1-65535: the address the application binds)";

    /** One explicit inherited socket: descriptor {@code fd} takes the application's binds of {@code host} (null: any) {@code port}. */
    public record Entry(int fd, InetAddress host, int port) {
        @Override
        public String toString() {
            if (host == null) {
                return fd + ":" + port;
            }
            String h = host.getHostAddress();
            return fd + ":" + (h.indexOf(':') >= 0 ? "[" + h + "]" : h) + ":" + port;
        }
    }

    /** The value; {@link IllegalArgumentException} naming what is wrong with which part. */
    static Inherit parse(String text) {
        if (text.equals("systemd")) {
            return new Inherit(true, List.of());
        }
        List<Entry> entries = new ArrayList<>();
        Set<Integer> fds = new HashSet<>();
        Set<String> targets = new HashSet<>();
        for (String part : text.split(",", -1)) {
            Entry entry = entry(part.trim());
            if (!fds.add(entry.fd())) {
                throw bad(text, "fd " + entry.fd() + " is named twice");
            }
            String target = (entry.host() == null ? "*" : entry.host().getHostAddress()) + " " + entry.port();
            if (!targets.add(target)) {
                throw bad(text, "two descriptors for the same bind (" + part.trim() + ")");
            }
            entries.add(entry);
        }
        return new Inherit(false, List.copyOf(entries));
    }

    private static Entry entry(String part) {
        int colon = part.indexOf(':');
        if (colon < 0) {
            throw bad(part, part.isEmpty() ? "an empty entry" : "'" + part + "' has no port (fd:port)");
        }
        int fd = number(part, part.substring(0, colon), "fd", 3, Integer.MAX_VALUE,
                "a descriptor number from 3 (0-2 are stdin, stdout, stderr)");
        String rest = part.substring(colon + 1);
        int portColon = rest.lastIndexOf(':');
        if (portColon < 0) {
            return new Entry(fd, null, number(part, rest, "port", 1, 65535, "1-65535"));
        }
        String host = rest.substring(0, portColon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw bad(part, "an IPv6 host goes in brackets, fd:[v6]:port");
        }
        int port = number(part, rest.substring(portColon + 1), "port", 1, 65535, "1-65535");
        return new Entry(fd, literal(part, host), port);
    }

    private static int number(String part, String digits, String what, int min, int max, String range) {
        if (digits.isEmpty() || digits.length() > 10 || !digits.chars().allMatch(Character::isDigit)) {
            throw bad(part, what + " '" + digits + "' is not a number; " + what + " is " + range);
        }
        long n = Long.parseLong(digits);
        if (n < min || n > max) {
            throw bad(part, what + " " + n + " is out of range; " + what + " is " + range);
        }
        return (int) n;
    }

    /** An IP address literal: no name lookup at start-up. */
    private static InetAddress literal(String part, String host) {
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}")
                && java.util.Arrays.stream(host.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
        boolean v6 = host.indexOf(':') >= 0 && host.matches("[0-9a-fA-F:.]+");
        if (v4 || v6) {
            try {
                return InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                // reported below
            }
        }
        throw bad(part, "host '" + host + "' is not an IP address");
    }

    private static IllegalArgumentException bad(String part, String why) {
        return new IllegalArgumentException("bad value in option 'inherit' at '" + part + "': " + why + "; expected "
                + SYNTAX);
    }

    @Override
    public String toString() {
        if (systemd) {
            return "systemd";
        }
        StringBuilder out = new StringBuilder();
        for (Entry e : entries) {
            out.append(out.length() == 0 ? "" : ",").append(e);
        }
        return out.toString();
    }
}
