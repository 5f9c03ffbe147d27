package dev.hotbind.audit;

import dev.hotbind.registry.ConnectionRecord;
import dev.hotbind.registry.ListenerState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.channels.SocketChannel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds accepted connections left behind. CLOSE_WAIT rows are matched to connections by their two
 * ends (ports first, then addresses), so descriptors are only looked at when the kernel has such rows.
 */
final class ConnectionDetector {
    private final long closeWaitMillis;
    /** Connection id to when it was first seen in CLOSE_WAIT. */
    private Map<Long, Long> closeWaitSince = new HashMap<>();

    ConnectionDetector(long closeWaitMillis) {
        this.closeWaitMillis = closeWaitMillis;
    }

    /** {@code closeWait} is null when the kernel view is not available. */
    List<OrphanedConnection> detect(List<ConnectionRecord> open, List<ConnectionRecord> collected,
                                    List<KernelSocket> closeWait, long now) {
        Map<Long, List<KernelSocket>> byPorts = new HashMap<>();
        if (closeWait != null) {
            for (KernelSocket k : closeWait) {
                byPorts.computeIfAbsent(ports(k.localPort(), k.remotePort()), p -> new ArrayList<>()).add(k);
            }
        }
        List<OrphanedConnection> found = new ArrayList<>();
        Map<Long, Long> nextCloseWait = new HashMap<>();
        for (ConnectionRecord c : open) {
            List<String> reasons = new ArrayList<>();
            long since = Long.MAX_VALUE;
            if (c.listener().state() == ListenerState.CLOSED) {
                reasons.add("still open after its listener was closed at "
                        + Instant.ofEpochMilli(c.listener().closedAtMillis()));
                since = c.listener().closedAtMillis();
            }
            String kernelState = closeWait == null ? "not available" : "not CLOSE_WAIT";
            if (!byPorts.isEmpty() && inCloseWait(c, byPorts)) {
                kernelState = "CLOSE_WAIT";
                long first = closeWaitSince.getOrDefault(c.id(), now);
                nextCloseWait.put(c.id(), first);
                if (now - first >= closeWaitMillis) {
                    reasons.add("the peer closed it and the application has not, for at least "
                            + AcceptThreadDetector.seconds(now - first) + " (CLOSE_WAIT)");
                    since = Math.min(since, first);
                }
            }
            if (!reasons.isEmpty()) {
                found.add(new OrphanedConnection(c, kernelState, String.join("; ", reasons), since));
            }
        }
        closeWaitSince = nextCloseWait;
        for (ConnectionRecord c : collected) {
            found.add(new OrphanedConnection(c, "closed by the JDK's cleaner",
                    "garbage-collected at " + Instant.ofEpochMilli(c.endedAtMillis())
                            + " without the application closing it", c.endedAtMillis()));
        }
        return found;
    }

    private static boolean inCloseWait(ConnectionRecord c, Map<Long, List<KernelSocket>> byPorts) {
        InetSocketAddress[] ends = ends(c.get());
        if (ends == null) {
            return false;
        }
        for (KernelSocket k : byPorts.getOrDefault(ports(ends[0].getPort(), ends[1].getPort()), List.of())) {
            if (same(k.localAddress(), ends[0].getAddress()) && same(k.remoteAddress(), ends[1].getAddress())) {
                return true;
            }
        }
        return false;
    }

    /** Local and remote end of an accepted socket, or null once it is closed or collected. */
    private static InetSocketAddress[] ends(Object socket) {
        try {
            SocketAddress local;
            SocketAddress remote;
            if (socket instanceof SocketChannel) {
                local = ((SocketChannel) socket).getLocalAddress();
                remote = ((SocketChannel) socket).getRemoteAddress();
            } else if (socket instanceof Socket) {
                local = ((Socket) socket).getLocalSocketAddress();
                remote = ((Socket) socket).getRemoteSocketAddress();
            } else {
                return null;
            }
            if (local instanceof InetSocketAddress && remote instanceof InetSocketAddress) {
                return new InetSocketAddress[] {(InetSocketAddress) local, (InetSocketAddress) remote};
            }
        } catch (Exception closed) {
            return null;
        }
        return null;
    }

    /** Java may report an IPv4-mapped peer as IPv6 or IPv4; the parser already gives IPv4 for mapped ones. */
    private static boolean same(InetAddress kernel, InetAddress java) {
        return kernel.equals(java) || kernel.isAnyLocalAddress() && java.isAnyLocalAddress();
    }

    private static long ports(int local, int remote) {
        return ((long) local << 16) | remote;
    }
}
