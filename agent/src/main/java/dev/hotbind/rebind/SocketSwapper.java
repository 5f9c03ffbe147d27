package dev.hotbind.rebind;

import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.jdk.Descriptors;
import dev.hotbind.jdk.JdkListener;
import dev.hotbind.jdk.VirtualThreads;
import dev.hotbind.registry.ListenerSettings;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Puts another socket under the descriptor number of the application's listener (dup2), so its own
 * object, locks and cached state stay valid, then wakes whatever waits on the old socket: the
 * JDK's EINTR retry makes a thread blocked in accept accept on the same number, now the new socket,
 * even in code that ran before hotbind was attached.
 */
final class SocketSwapper {
    private static final long RELEASE_WAIT_NANOS = 2_000_000_000L;

    private final Handover handover;

    /**
     * What a swap did: where the listener is now, how long it took, whom it woke, and the replaced
     * socket's descriptor hotbind still holds to take its queue ({@code -1} if it let it go).
     */
    record Outcome(InetSocketAddress address, long micros, int signalled, int unparked, int rearmed, int held,
                   Handover.Delivery delivery) {
        static String waiters(int signalled, int unparked, int rearmed) {
            return signalled + " blocked accept thread(s) signalled to retry accept, " + unparked
                    + " virtual thread(s) unparked, " + rearmed + " selection key(s) re-armed";
        }

        Outcome delivered(Handover.Delivery done) {
            return new Outcome(address, micros, signalled, unparked, rearmed, -1, done);
        }
    }

    /** {@code handover}: the one on the registry's accept path, which gives the application queued connections. */
    SocketSwapper(Handover handover) {
        this.handover = handover;
    }

    /**
     * Renews the listener in place: the same kernel socket listens again with the application's
     * backlog ({@code backlog} below 1: unknown or the JDK's default, so the kernel keeps the one it
     * has), and whatever waits on it is woken to wait anew. No socket is closed and no second one
     * joins the port: nothing queued or in its handshake is lost, nothing is refused, and the port's
     * SO_REUSEPORT state is untouched.
     */
    Outcome renew(JdkListener socket, int backlog, Supplier<List<Thread>> acceptThreads) throws IOException {
        long start = System.nanoTime();
        int signalled;
        synchronized (socket.stateLock()) {
            if (!socket.isOpen()) {
                throw new IllegalStateException("the application closed the listener meanwhile; nothing changed");
            }
            if (backlog > 0) {
                Descriptors.listen(socket.fd(), backlog);
            }
            signalled = signalBlocked(socket);
        }
        return woken(socket, null, acceptThreads, start, signalled, -1, Handover.Delivery.NONE);
    }

    /**
     * Binds a fresh socket to {@code target} and swaps it in. {@code overlap}: the target is the
     * listener's own port, shared with the new socket through the SO_REUSEPORT the application (or
     * the reuseport policy) set, so the port never closes. hotbind itself never sets SO_REUSEPORT:
     * the kernel would keep the port joinable by any process of this user until every socket that
     * had it is gone. Fails before touching the application's socket if the bind fails.
     */
    Outcome bind(JdkListener socket, InetSocketAddress target, ListenerSettings app, boolean overlap,
                 Supplier<List<Thread>> acceptThreads) {
        long start = System.nanoTime();
        ServerSocketChannel replacement = null;
        try {
            replacement = internally(() -> open(app, target));
            // with migration the kernel moves the old socket's queue into the new one by itself
            boolean takeQueue = !(overlap && Migration.enabled());
            Outcome outcome = install(socket, replacement, target, acceptThreads, start, takeQueue);
            if (outcome.held() < 0) {
                return outcome;
            }
            List<Handover.Queued> queued = handover.takeQueue(outcome.held());
            // A doorbell rung at a shared port could be answered by another socket on it: another
            // process's, or the old one, which lives on until a signalled thread has left its accept.
            return outcome.delivered(app.reusePort() ? detour(socket, queued, replacement, app, acceptThreads)
                    : handover.deliver(queued, target));
        } catch (IOException e) {
            throw bindFailure(target, e);
        } finally {
            closeQuietly(replacement);
        }
    }

    /**
     * Swaps in a listening Unix-domain socket whose path is deleted at once: the port is released
     * (new clients are refused) while accept threads and selectors keep waiting on a socket no one
     * can reach, without any exception.
     */
    Outcome park(JdkListener socket, ListenerSettings app, Supplier<List<Thread>> acceptThreads) {
        long start = System.nanoTime();
        ServerSocketChannel parking = null;
        try {
            parking = internally(() -> {
                ServerSocketChannel unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                unix.bind(null);
                Files.deleteIfExists(((UnixDomainSocketAddress) unix.getLocalAddress()).getPath());
                return unix;
            });
            // taken even where migration could move it: a port's group may have no other socket
            Outcome outcome = install(socket, parking, null, acceptThreads, start, true);
            return outcome.delivered(detour(socket, handover.takeQueue(outcome.held()), parking, app,
                    acceptThreads));
        } catch (IOException e) {
            throw new IllegalStateException("could not create the socket that holds accept threads: " + e);
        } finally {
            closeQuietly(parking);
        }
    }

    /**
     * Waits (bounded) until no socket listens on {@code old} any more. The kernel closes a replaced
     * socket only when the thread blocked in accept on it has left the system call, and it may first
     * accept a connection that was already queued: until then the old port still takes clients.
     * Probes with an unconnected client socket, which cannot bind over a listener and refuses
     * whoever connects meanwhile; it has SO_REUSEADDR only, never SO_REUSEPORT, so it neither joins
     * nor opens the port's reuse-port record. Answers microseconds waited, or -1 if still held after
     * the bound.
     */
    long awaitReleased(InetSocketAddress old) {
        long start = System.nanoTime();
        long deadline = start + RELEASE_WAIT_NANOS;
        while (System.nanoTime() < deadline) {
            try {
                boolean free = Hooks.internally(() -> {
                    try (Socket probe = new Socket()) {
                        probe.setReuseAddress(true);
                        probe.bind(old);
                        return true;
                    } catch (BindException stillListening) {
                        return false;
                    }
                });
                if (free) {
                    return (System.nanoTime() - start) / 1000;
                }
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            } catch (Exception e) {
                return -1;
            }
        }
        return -1;
    }

    /** A new listener with the application's settings; SO_REUSEPORT only if the application had it. */
    private static ServerSocketChannel open(ListenerSettings app, InetSocketAddress target) throws IOException {
        ServerSocketChannel channel = app.family() == null ? ServerSocketChannel.open()
                : ServerSocketChannel.open(app.family());
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (app.reusePort()) {
                channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            int receiveBuffer = app.receiveBuffer();
            if (receiveBuffer > 0 && channel.getOption(StandardSocketOptions.SO_RCVBUF) != receiveBuffer) {
                channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBuffer);
            }
            channel.bind(target, app.backlog());
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * Puts a listening socket hotbind was given (descriptor {@code given}, which hotbind keeps) under
     * the application's listener, which has just bound a stand-in: the dup2 closes the stand-in. The
     * given socket gets the blocking mode the application's object expects; its backlog stays as the
     * one who made it set it (a systemd {@code .socket}'s Backlog=).
     */
    static Outcome adopt(JdkListener socket, int given, InetSocketAddress requested,
                         Supplier<List<Thread>> acceptThreads) throws IOException {
        FileDescriptor descriptor = Descriptors.descriptor(given);
        InetSocketAddress actual = Descriptors.localAddress(descriptor);
        return install(socket, given, blocking -> Descriptors.configureBlocking(descriptor, blocking), requested,
                actual, acceptThreads, System.nanoTime(), false);
    }

    /** The swap of a socket hotbind opened; {@code requested} null: the address does not change. */
    private static Outcome install(JdkListener socket, ServerSocketChannel replacement,
                                   InetSocketAddress requested, Supplier<List<Thread>> acceptThreads, long start,
                                   boolean holdOld)
            throws IOException {
        InetSocketAddress actual = requested == null ? null : (InetSocketAddress) replacement.getLocalAddress();
        return install(socket, JdkListener.of(replacement).fd(), replacement::configureBlocking, requested, actual,
                acceptThreads, start, holdOld);
    }

    /** Sets a replacement's blocking mode to the one the application's object expects. */
    private interface Blocking {
        void set(boolean blocking) throws IOException;
    }

    /** The swap proper, under the JDK's own state lock of the application's object. */
    private static Outcome install(JdkListener socket, int replacementFd, Blocking blocking,
                                   InetSocketAddress requested, InetSocketAddress actual,
                                   Supplier<List<Thread>> acceptThreads, long start, boolean holdOld)
            throws IOException {
        // a selector registering the channel meanwhile would see the old socket, and the re-arm miss its key
        synchronized (socket.registrationLock()) {
            int signalled;
            int held = -1;
            synchronized (socket.stateLock()) {
                if (!socket.isOpen()) {
                    throw new IllegalStateException("the application closed the listener meanwhile; nothing changed");
                }
                blocking.set(!socket.nonBlockingFd());
                if (holdOld) {
                    held = Descriptors.dup(socket.fd());
                }
                try {
                    Descriptors.dup2(replacementFd, socket.fd());
                } catch (IOException | RuntimeException e) {
                    if (held >= 0) {
                        Descriptors.close(held);
                    }
                    throw e;
                }
                if (actual != null) {
                    socket.cacheLocalAddress(requested, actual);
                }
                signalled = signalBlocked(socket);
            }
            return woken(socket, actual, acceptThreads, start, signalled, held,
                    holdOld ? Handover.Delivery.NONE : Handover.Delivery.BY_KERNEL);
        }
    }

    /** Under the state lock, so the thread cannot leave accept (and exit) meanwhile: answers 1 if one was signalled. */
    private static int signalBlocked(JdkListener socket) throws IOException {
        long blocked = socket.nativeThread();
        if (blocked <= 0) {
            return 0;
        }
        Descriptors.signal(blocked);
        return 1;
    }

    /** After the state lock: unparks virtual threads in accept and re-arms selection keys. */
    private static Outcome woken(JdkListener socket, InetSocketAddress address, Supplier<List<Thread>> acceptThreads,
                                 long start, int signalled, int held, Handover.Delivery delivery) throws IOException {
        // read only now: a virtual thread that parked on the old socket just before the swap is listed
        int unparked = 0;
        for (Thread t : acceptThreads.get()) {
            if (VirtualThreads.isVirtual(t)) {
                LockSupport.unpark(t);
                unparked++;
            }
        }
        int rearmed = socket.rearmSelectionKeys();
        return new Outcome(address, (System.nanoTime() - start) / 1000, signalled, unparked, rearmed, held, delivery);
    }

    /**
     * Hands {@code queued} over through a private loopback listener put under the application's
     * descriptor just for that, then puts {@code after} back: for when the application's own socket
     * cannot be rung safely (a shared port, or none at all while unbound).
     */
    private Handover.Delivery detour(JdkListener socket, List<Handover.Queued> queued, ServerSocketChannel after,
                                     ListenerSettings app, Supplier<List<Thread>> acceptThreads) {
        if (queued.isEmpty()) {
            return Handover.Delivery.NONE;
        }
        ServerSocketChannel door = null;
        try {
            ListenerSettings loopbackOnly = new ListenerSettings(queued.size(), false, 0, app.family());
            InetAddress loopback = Handover.loopback(app.family() == StandardProtocolFamily.INET);
            door = internally(() -> open(loopbackOnly, new InetSocketAddress(loopback, 0)));
            install(socket, door, null, acceptThreads, System.nanoTime(), false);
            try {
                return handover.deliver(queued, (InetSocketAddress) door.getLocalAddress());
            } finally {
                install(socket, after, null, acceptThreads, System.nanoTime(), false);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("hotbind: handing queued connections over failed, they are reset: " + e);
            return handover.reset(queued);
        } finally {
            closeQuietly(door);
        }
    }

    private static RuntimeException bindFailure(InetSocketAddress target, IOException e) {
        String where = target.getAddress().getHostAddress() + " port " + target.getPort();
        String why = String.valueOf(e.getMessage());
        if (e instanceof BindException && why.contains("in use")) {
            return new IllegalStateException(where + " is taken by another socket (" + why
                    + "); the listener keeps serving on its old socket");
        }
        if (e instanceof BindException && why.contains("assign")) {
            return new IllegalArgumentException(where + ": the address is not local to this host (" + why
                    + "); the listener keeps serving on its old socket");
        }
        if (e instanceof SocketException && why.contains("ermission")) {
            return new IllegalStateException(where + " is a privileged port this JVM may not bind (" + why
                    + "); the listener keeps serving on its old socket");
        }
        return new IllegalStateException("binding " + where + " failed (" + e
                + "); the listener keeps serving on its old socket");
    }

    private static ServerSocketChannel internally(java.util.concurrent.Callable<ServerSocketChannel> work)
            throws IOException {
        try {
            return Hooks.internally(work);
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            Hooks.internally(() -> {
                channel.close();
                return null;
            });
        } catch (Exception e) {
            System.err.println("hotbind: closing a temporary socket failed: " + e);
        }
    }

    /** The old port's fate as {@link #awaitReleased} measured it, in words. */
    static String released(long micros) {
        return micros < 0 ? "still held after 2 s (a thread finishing an accept on it, or another socket bound it "
                + "meanwhile)" : "released after " + micros + " µs, new clients are refused";
    }
}
