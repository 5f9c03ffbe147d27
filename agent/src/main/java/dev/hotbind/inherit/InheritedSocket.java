package dev.hotbind.inherit;

import dev.hotbind.options.Inherit;
import dev.hotbind.registry.HostPort;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.Channel;

/**
 * One listening socket this process was given: its descriptor, the name systemd gave it, its address,
 * and which application listener it is under now, or why none is.
 */
final class InheritedSocket {
    private final int fd;
    private final String name;
    /** The socket's own address; null when the descriptor is not a listening TCP socket. */
    private final InetSocketAddress address;
    /** Why no bind can take it; null when one can. */
    private final String unusable;
    /** The explicit option entry it answers to; null for a systemd socket, which answers to its own address. */
    private final Inherit.Entry entry;
    private volatile WeakReference<Object> adopter = new WeakReference<>(null);
    private volatile String adoptedBy;
    /** Why the latest bind it matched could not take it; null if none failed. */
    private volatile String failure;

    InheritedSocket(int fd, String name, InetSocketAddress address, String unusable, Inherit.Entry entry) {
        this.fd = fd;
        this.name = name;
        this.address = address;
        this.unusable = unusable;
        this.entry = entry;
    }

    int fd() {
        return fd;
    }

    /** Whether the application's bind of {@code requested} is one this socket is for. */
    boolean matches(InetSocketAddress requested) {
        if (unusable != null) {
            return false;
        }
        if (entry != null) {
            return entry.port() == requested.getPort()
                    && (entry.host() == null || entry.host().equals(requested.getAddress()));
        }
        // the unit file decides the interface: a wildcard on either side matches whatever the other is
        InetAddress own = address.getAddress();
        InetAddress asked = requested.getAddress();
        return address.getPort() == requested.getPort()
                && (own.isAnyLocalAddress() || asked.isAnyLocalAddress() || own.equals(asked));
    }

    /** Whether an open application listener has it now (one bind at a time: its socket is shared otherwise). */
    boolean taken() {
        Object server = adopter.get();
        if (server instanceof ServerSocket) {
            return !((ServerSocket) server).isClosed();
        }
        return server instanceof Channel && ((Channel) server).isOpen();
    }

    void claim(Object server) {
        adopter = new WeakReference<>(server);
        failure = null;
    }

    void adopted(String listener) {
        adoptedBy = listener;
    }

    void failed(String why) {
        adopter = new WeakReference<>(null);
        failure = why;
    }

    /** Where it came from, as the listener's {@code Inherited} shows: {@code fd 3 (http) [::]:8080}. */
    String origin() {
        return "fd " + fd + (name.isEmpty() ? "" : " (" + name + ")")
                + (address == null ? "" : " " + HostPort.of(address));
    }

    /** One line: where from, and under which listener it is or why under none. */
    String describe() {
        if (unusable != null) {
            return origin() + ": unusable: " + unusable;
        }
        if (taken()) {
            return origin() + ": under " + adoptedBy;
        }
        String waitingFor = entry != null ? "a bind of " + (entry.host() == null ? "port " + entry.port()
                : HostPort.of(new InetSocketAddress(entry.host(), entry.port())))
                : "a bind of port " + address.getPort();
        if (failure != null) {
            return origin() + ": unmatched: the latest " + waitingFor + " could not take it (" + failure + ")";
        }
        return origin() + ": unmatched: " + (adoptedBy == null ? "no application bind matched it yet (waiting for "
                + waitingFor + ")" : "the listener it was under (" + adoptedBy + ") was closed; the next "
                + waitingFor + " takes it again");
    }
}
