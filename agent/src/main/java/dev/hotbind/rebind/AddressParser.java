package dev.hotbind.rebind;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/**
 * Reads an address as an operator types it: {@code host:port}, {@code [v6]:port}, {@code :port} or
 * {@code port} (the last two keep the listener's current host). Bad input is an
 * {@link IllegalArgumentException} saying what was wrong and which forms are accepted.
 */
public final class AddressParser {
    public static final String FORMS = "expected host:port, [v6]:port, :port or port (port 1-65535)";

    private AddressParser() {
    }

    public static InetSocketAddress parse(String text, InetAddress currentHost) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("no address given; " + FORMS);
        }
        String t = text.trim();
        String host;
        String port;
        if (t.startsWith("[")) {
            int close = t.indexOf(']');
            if (close < 0 || close + 1 >= t.length() || t.charAt(close + 1) != ':') {
                throw malformed(text);
            }
            host = t.substring(1, close);
            port = t.substring(close + 2);
            if (host.indexOf(':') < 0) {
                throw new IllegalArgumentException("'" + text + "': only IPv6 addresses go in brackets; " + FORMS);
            }
        } else {
            int colon = t.lastIndexOf(':');
            if (colon >= 0 && t.indexOf(':') != colon) {
                throw new IllegalArgumentException("'" + text + "': an IPv6 address needs brackets, [v6]:port; "
                        + FORMS);
            }
            host = colon < 0 ? "" : t.substring(0, colon);
            port = colon < 0 ? t : t.substring(colon + 1);
        }
        int number = port(port, text);
        return new InetSocketAddress(host.isEmpty() ? currentHost : resolve(host, text), number);
    }

    private static int port(String digits, String text) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(Character::isDigit)) {
            throw malformed(text);
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + text + "': port " + port + " is out of range; " + FORMS);
        }
        return port;
    }

    private static InetAddress resolve(String host, String text) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "': unknown host '" + host + "'");
        }
    }

    private static IllegalArgumentException malformed(String text) {
        return new IllegalArgumentException("'" + text + "' is not an address; " + FORMS);
    }
}
