package dev.hotbind.inherit;

import dev.hotbind.jdk.JdkListener;
import dev.hotbind.rebind.InheritedSwap;
import dev.hotbind.registry.BindSubstitution;
import dev.hotbind.registry.HostPort;
import dev.hotbind.registry.InheritedFrom;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts inherited listening sockets under the application's own ServerSocket / ServerSocketChannel.
 * A bind whose address matches one binds a stand-in instead (the same host, an ephemeral port) and,
 * once that bind is done, the inherited socket is put under the application's descriptor with the
 * rebind's dup2: the application's object, its selector keys and its accept threads never see a
 * difference, and no second socket ever competes for the inherited port. The inherited descriptors
 * stay open in hotbind's hands, so a listener the application closes and binds again takes the same
 * socket again, as it would under systemd.
 */
public final class Inheritance implements BindSubstitution {
    /** The stand-in bound for the bind being made on this thread, between {@link #binding} and {@link #bound}. */
    private record Pending(Object server, InheritedSocket socket, InetSocketAddress requested) {
    }

    private final List<InheritedSocket> sockets;
    /** What the environment said as a whole (systemd's variables), "" when it gave sockets. */
    private final String note;
    private final ThreadLocal<Pending> pending = new ThreadLocal<>();
    /** Whether systemd's variables named this process: then no child gets them (sd_listen_fds' unset_environment). */
    private final boolean fromSystemd;

    Inheritance(List<InheritedSocket> sockets, String note, boolean fromSystemd) {
        this.sockets = List.copyOf(sockets);
        this.note = note;
        this.fromSystemd = fromSystemd;
    }

    /** No inherited socket, for the reason {@code note} gives. */
    static Inheritance none(String note) {
        return new Inheritance(List.of(), note, false);
    }

    /**
     * The JVM's own environment cannot change (System.getenv is a snapshot, and the C environ is
     * out of reach without native code), so each child's is: a child started through ProcessBuilder
     * or Runtime.exec gets its environment without LISTEN_PID, LISTEN_FDS and LISTEN_FDNAMES. Its
     * descriptors from 3 on are closed by the JDK itself before the child's exec, so no inherited
     * socket reaches it either.
     */
    @Override
    public void childStarting(ProcessBuilder builder) {
        if (fromSystemd) {
            builder.environment().keySet().removeAll(Environment.SYSTEMD_VARIABLES);
        }
    }

    @Override
    public SocketAddress binding(Object server, SocketAddress requested) {
        pending.remove();
        if (!(requested instanceof InetSocketAddress) || ((InetSocketAddress) requested).getPort() == 0
                || ((InetSocketAddress) requested).isUnresolved()) {
            return requested;
        }
        InetSocketAddress asked = (InetSocketAddress) requested;
        InheritedSocket socket = claim(server, asked);
        if (socket == null) {
            return requested;
        }
        pending.set(new Pending(server, socket, asked));
        return new InetSocketAddress(asked.getAddress(), 0);
    }

    /** The first inherited socket for {@code asked} no open listener has, now claimed by {@code server}. */
    private synchronized InheritedSocket claim(Object server, InetSocketAddress asked) {
        for (InheritedSocket socket : sockets) {
            if (socket.matches(asked) && !socket.taken()) {
                try {
                    JdkListener.of(server);
                } catch (IllegalStateException cannotSwap) {
                    socket.failed(cannotSwap.getMessage());
                    System.err.println("hotbind: the bind of " + HostPort.of(asked) + " binds a socket of its own, "
                            + "not the inherited " + socket.origin() + ": " + cannotSwap.getMessage());
                    return null;
                }
                socket.claim(server);
                return socket;
            }
        }
        return null;
    }

    @Override
    public InheritedFrom bound(Object server) {
        Pending p = pending.get();
        pending.remove();
        if (p == null || p.server() != server) {
            return null;
        }
        InheritedSocket socket = p.socket();
        try {
            long micros = InheritedSwap.adopt(JdkListener.of(server), socket.fd(), p.requested());
            socket.adopted(server.getClass().getSimpleName() + " bound to " + HostPort.of(p.requested()) + " by thread "
                    + Thread.currentThread().getName() + " (swapped in " + micros + " µs)");
            return new InheritedFrom(socket.fd(), socket.origin());
        } catch (Exception | LinkageError e) {
            socket.failed(e.toString());
            System.err.println("hotbind: putting the inherited " + socket.origin() + " under the bind of "
                    + HostPort.of(p.requested()) + " failed (" + e + "); that listener keeps the ephemeral port "
                    + "its bind was given instead");
            return null;
        }
    }

    /** Every inherited socket with where it is now, one line each; the environment's note first, if any. */
    public List<String> describe() {
        List<String> lines = new ArrayList<>();
        if (!note.isEmpty()) {
            lines.add(note);
        }
        for (InheritedSocket socket : sockets) {
            lines.add(socket.describe());
        }
        return lines;
    }

    /** The inherited sockets no open listener has, each with the reason. */
    public List<String> unmatched() {
        List<String> lines = new ArrayList<>();
        for (InheritedSocket socket : sockets) {
            if (!socket.taken()) {
                lines.add(socket.describe());
            }
        }
        return lines;
    }
}
