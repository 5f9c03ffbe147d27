package dev.hotbind.rebind;

import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.jdk.Descriptors;
import dev.hotbind.jdk.JdkConnection;
import dev.hotbind.registry.AcceptSubstitution;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Gives the application the connections still queued on a listening socket hotbind is about to
 * close, which the close would otherwise reset. hotbind accepts them itself, then rings a
 * "doorbell" for each: a loopback connection to the socket the application now accepts on. When the
 * application's accept returns a doorbell, the queued connection is put under the doorbell's
 * descriptor number (dup2) and the accepted object's cached addresses are corrected: the
 * application gets the queued client exactly as if it had accepted it itself, through its own
 * accept loop, whatever its accept model.
 */
public final class Handover implements AcceptSubstitution {
    private static final long DELIVERY_WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int DOORBELL_CONNECT_MILLIS = 1000;
    /** Far more than any accept queue holds (somaxconn): a bound, not a limit met in practice. */
    private static final int MAX_TAKEN = 65_536;

    /** A connection hotbind accepted from a socket it was closing, waiting for the application. */
    record Queued(int fd, InetSocketAddress peer, InetSocketAddress local) {
    }

    /** What a hand-over did. */
    record Delivery(int queued, int handedOver, long micros) {
        static final Delivery NONE = new Delivery(0, 0, 0);
        /** The old socket was simply closed: the kernel moves its queue to the port's other socket. */
        static final Delivery BY_KERNEL = new Delivery(-1, 0, 0);

        /** Queued connections that were reset instead of handed over. */
        int reset() {
            return queued <= 0 ? 0 : queued - handedOver;
        }

        static String describe(int queued, int handedOver, long micros) {
            if (queued < 0) {
                return "what waited in the old socket's queue was left for the kernel to move to another socket "
                        + "on the port";
            }
            if (queued == 0) {
                return "no connection was waiting in the old socket's queue";
            }
            String text = handedOver + " connection(s) waiting in the old socket's queue handed to the application in "
                    + micros + " µs";
            return queued == handedOver ? text : text + ", " + (queued - handedOver)
                    + " reset (not accepted by the application within 5 s, or no way to hand them over)";
        }
    }

    /** Keyed by the doorbell's own address: the peer the application's accept reports for it. */
    private final Map<InetSocketAddress, Queued> expected = new ConcurrentHashMap<>();
    private final AtomicInteger ringing = new AtomicInteger();

    /** Installed on the accept path at start-up: the registry consults it before recording a connection. */
    public Handover() {
    }

    /**
     * Accepts what is queued on the listening socket under {@code held} (hotbind's own duplicate of a
     * replaced descriptor) until nothing is left, then closes it: from then on its port refuses.
     */
    List<Queued> takeQueue(int held) {
        List<Queued> queued = new ArrayList<>();
        try {
            FileDescriptor listener = Descriptors.descriptor(held);
            Descriptors.configureBlocking(listener, false);
            while (queued.size() < MAX_TAKEN) {
                FileDescriptor accepted = new FileDescriptor();
                InetSocketAddress[] peer = new InetSocketAddress[1];
                int n = Descriptors.accept(listener, accepted, peer);
                if (n == Descriptors.INTERRUPTED) {
                    continue;
                }
                if (n <= 0) {
                    break;
                }
                int fd = Descriptors.number(accepted);
                try {
                    queued.add(new Queued(fd, peer[0], Descriptors.localAddress(accepted)));
                } catch (IOException e) {
                    closeQuietly(fd);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("hotbind: taking the connections queued on a replaced socket failed: " + e);
        } finally {
            closeQuietly(held);
        }
        return queued;
    }

    /**
     * Rings a doorbell at {@code listening} (where the application now accepts) for each queued
     * connection and waits, bounded, until the application has accepted them; resets the rest.
     */
    Delivery deliver(List<Queued> queued, InetSocketAddress listening) {
        if (queued.isEmpty()) {
            return Delivery.NONE;
        }
        long start = System.nanoTime();
        InetSocketAddress target = new InetSocketAddress(reachable(listening.getAddress()), listening.getPort());
        List<InetSocketAddress> rung = new ArrayList<>();
        for (Queued connection : queued) {
            InetSocketAddress doorbell = ring(connection, target);
            if (doorbell == null) {
                closeQuietly(connection.fd());
            } else {
                rung.add(doorbell);
            }
        }
        long deadline = start + DELIVERY_WAIT_NANOS;
        while (rung.stream().anyMatch(expected::containsKey) && System.nanoTime() < deadline) {
            LockSupport.parkNanos(100_000);
        }
        int reset = queued.size() - rung.size();
        for (InetSocketAddress doorbell : rung) {
            Queued unclaimed = expected.remove(doorbell);
            if (unclaimed != null) {
                ringing.decrementAndGet();
                closeQuietly(unclaimed.fd());
                reset++;
            }
        }
        return new Delivery(queued.size(), queued.size() - reset, (System.nanoTime() - start) / 1000);
    }

    /** For when no doorbell can be rung: the connections go as the close would have taken them. */
    Delivery reset(List<Queued> queued) {
        queued.forEach(connection -> closeQuietly(connection.fd()));
        return new Delivery(queued.size(), 0, 0);
    }

    @Override
    public boolean expecting() {
        return ringing.get() > 0;
    }

    @Override
    public void substitute(Object accepted) {
        JdkConnection connection = JdkConnection.of(accepted);
        InetSocketAddress peer = connection == null ? null : connection.peer();
        Queued queued = peer == null ? null : expected.remove(peer);
        if (queued == null) {
            return;
        }
        ringing.decrementAndGet();
        try {
            Descriptors.dup2(queued.fd(), connection.fd());
            connection.addresses(queued.local(), queued.peer());
        } catch (IOException | RuntimeException e) {
            // the application keeps the doorbell, already closed by its far end: it reads end-of-stream
            System.err.println("hotbind: handing a queued connection to the application failed: " + e);
        } finally {
            closeQuietly(queued.fd());
        }
    }

    private InetSocketAddress ring(Queued connection, InetSocketAddress target) {
        try {
            return Hooks.internally(() -> {
                try (Socket doorbell = new Socket()) {
                    doorbell.bind(new InetSocketAddress(target.getAddress(), 0));
                    InetSocketAddress self = (InetSocketAddress) doorbell.getLocalSocketAddress();
                    expected.put(self, connection);
                    ringing.incrementAndGet();
                    try {
                        doorbell.connect(target, DOORBELL_CONNECT_MILLIS);
                    } catch (IOException e) {
                        if (expected.remove(self) != null) {
                            ringing.decrementAndGet();
                        }
                        throw e;
                    }
                    return self;
                }
            });
        } catch (Exception e) {
            System.err.println("hotbind: could not ring the application's listener at " + target
                    + " to hand it a queued connection: " + e);
            return null;
        }
    }

    /** A wildcard address is reached through loopback of its family; any other is local already. */
    private static InetAddress reachable(InetAddress listening) {
        return listening.isAnyLocalAddress() ? loopback(listening instanceof Inet4Address) : listening;
    }

    /** The loopback address an IPv4-only socket can use, or the JDK's (dual-stack sockets reach both). */
    static InetAddress loopback(boolean ipv4Only) {
        return ipv4Only ? new InetSocketAddress("127.0.0.1", 0).getAddress() : InetAddress.getLoopbackAddress();
    }

    private static void closeQuietly(int fd) {
        try {
            Descriptors.close(fd);
        } catch (IOException | RuntimeException e) {
            System.err.println("hotbind: closing descriptor " + fd + " failed: " + e);
        }
    }
}
