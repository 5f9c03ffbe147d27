package dev.hotbind.audit;

import dev.hotbind.jdk.JdkImpls;
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
 * ends (ports first, then addresses). The whole TCP table is not read at every audit (see
 * {@link CostBudget}): between two reads, the connections the last read found in CLOSE_WAIT stay so.
 */
final class ConnectionDetector {
    private final long closeWaitMillis;
    /** Connection id to when it was first seen in CLOSE_WAIT, as of the latest read of the table. */
    private Map<Long, Long> closeWaitSince = new HashMap<>();

    ConnectionDetector(long closeWaitMillis) {
        this.closeWaitMillis = closeWaitMillis;
    }

    /**
     * {@code closeWait}: the table's CLOSE_WAIT rows if it was read for this audit, else null;
     * {@code kernelAvailable} false where there is no kernel view at all.
     */
    List<OrphanedConnection> detect(List<ConnectionRecord> open, List<ConnectionRecord> collected,
                                    List<KernelSocket> closeWait, boolean kernelAvailable, long now) {
        Map<Long, List<KernelSocket>> byPorts = new HashMap<>();
        if (closeWait != null) {
            for (KernelSocket k : closeWait) {
                byPorts.computeIfAbsent(ports(k.localPort(), k.remotePort()), p -> new ArrayList<>()).add(k);
            }
        }
        List<OrphanedConnection> found = new ArrayList<>();
        Map<Long, Long> nextCloseWait = closeWait == null ? closeWaitSince : new HashMap<>();
        for (ConnectionRecord c : open) {
            List<String> reasons = new ArrayList<>();
            long since = Long.MAX_VALUE;
            if (c.listener().state() == ListenerState.CLOSED) {
                reasons.add(c.listener().closedBeforeSeen()
                        ? "still open after its listener was closed (before the attach; found closed at "
                                + Instant.ofEpochMilli(c.listener().closedAtMillis()) + ")"
                        : "still open after its listener was closed at " + Instant.ofEpochMilli(c.listener().closedAtMillis()));
                since = c.listener().closedAtMillis();
            }
            String kernelState = kernelAvailable ? "not CLOSE_WAIT" : "not available";
            boolean waiting = closeWait == null ? closeWaitSince.containsKey(c.id()) : inCloseWait(c, byPorts);
            if (waiting) {
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
        if (byPorts.isEmpty()) {
            return false;
        }
        InetSocketAddress[] ends = c.byImpl() ? implEnds(c) : ends(c.get());
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

    /**
     * The ends of a connection found at the attach, held by its impl: the peer from the impl, the
     * local end from its port and, for a listener on the wildcard address, any local address.
     */
    private static InetSocketAddress[] implEnds(ConnectionRecord c) {
        Object impl = c.get();
        InetSocketAddress remote = impl == null ? null : JdkImpls.remote(impl);
        if (remote == null) {
            return null;
        }
        return new InetSocketAddress[] {
            new InetSocketAddress(c.listener().localAddress().getAddress(), JdkImpls.localPort(impl)), remote};
    }

    /**
     * Java may report an IPv4-mapped peer as IPv6 or IPv4; the parser already gives IPv4 for mapped ones.
     * A wildcard on Java's side is the local end of an impl-held connection, whose address is not kept.
     */
    private static boolean same(InetAddress kernel, InetAddress java) {
        return kernel.equals(java) || java.isAnyLocalAddress();
    }

    private static long ports(int local, int remote) {
        return ((long) local << 16) | remote;
    }
}
