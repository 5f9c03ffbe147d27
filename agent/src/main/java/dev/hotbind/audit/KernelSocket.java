package dev.hotbind.audit;

import java.net.InetAddress;

/**
 * One row of {@code /proc/net/tcp} or {@code tcp6}. For a listening socket {@code rxQueue} is the
 * number of connections waiting in its accept queue. (The listen backlog is not in these tables:
 * {@code txQueue} is unsent data, always 0 for a listener; {@code ss} gets the backlog over netlink.)
 */
public record KernelSocket(InetAddress localAddress, int localPort, InetAddress remoteAddress, int remotePort,
                           int state, long txQueue, long rxQueue, long inode) {
    /** Kernel TCP state numbers, from include/net/tcp_states.h. */
    public static final int ESTABLISHED = 0x01;
    public static final int CLOSE_WAIT = 0x08;
    public static final int LISTEN = 0x0A;

    private static final String[] STATE_NAMES = {"", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1",
        "FIN_WAIT2", "TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING", "NEW_SYN_RECV"};

    public boolean listening() {
        return state == LISTEN;
    }

    public String stateName() {
        return state > 0 && state < STATE_NAMES.length ? STATE_NAMES[state] : "UNKNOWN(" + state + ")";
    }

    /** host:port as an operator writes it, IPv4-mapped addresses shown as IPv4. */
    public String address() {
        String host = localAddress.getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + localPort;
    }
}
