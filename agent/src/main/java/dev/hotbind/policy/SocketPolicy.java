package dev.hotbind.policy;

import dev.hotbind.options.AgentOptions;
import dev.hotbind.options.KeepAlive;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketOption;
import java.net.StandardSocketOptions;
import java.nio.channels.NetworkChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import jdk.net.ExtendedSocketOptions;

/**
 * The socket options the agent options impose: SO_REUSEPORT on every listener, TCP keepalive on every
 * accepted connection. A socket that refuses an option keeps working without it; the first refusal of
 * each option is reported on stderr.
 */
public final class SocketPolicy {
    private final boolean reusePort;
    private final KeepAlive keepAlive;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    private SocketPolicy(boolean reusePort, KeepAlive keepAlive) {
        this.reusePort = reusePort;
        this.keepAlive = keepAlive;
    }

    /** The policy the options ask for, or null when they ask for none (then sockets are left alone). */
    public static SocketPolicy of(AgentOptions options) {
        return options.reusePort() || options.keepAlive() != null
                ? new SocketPolicy(options.reusePort(), options.keepAlive()) : null;
    }

    /**
     * Applies the listener policy: before its bind, since SO_REUSEPORT only lets a second socket share
     * the port if it is set before bind; or on a listener bound before the attach, where Linux accepts
     * it too and lets a new process join the port.
     */
    public void listener(Object server) {
        if (reusePort) {
            set(server, StandardSocketOptions.SO_REUSEPORT, Boolean.TRUE);
        }
    }

    /** Applies the connection policy to a connection just accepted. */
    public void accepted(Object connection) {
        if (keepAlive == null) {
            return;
        }
        set(connection, StandardSocketOptions.SO_KEEPALIVE, Boolean.TRUE);
        if (keepAlive.idleSeconds() > 0) {
            set(connection, ExtendedSocketOptions.TCP_KEEPIDLE, keepAlive.idleSeconds());
        }
        if (keepAlive.intervalSeconds() > 0) {
            set(connection, ExtendedSocketOptions.TCP_KEEPINTERVAL, keepAlive.intervalSeconds());
        }
        if (keepAlive.count() > 0) {
            set(connection, ExtendedSocketOptions.TCP_KEEPCOUNT, keepAlive.count());
        }
    }

    private <T> void set(Object socket, SocketOption<T> option, T value) {
        try {
            if (socket instanceof ServerSocket) {
                ((ServerSocket) socket).setOption(option, value);
            } else if (socket instanceof Socket) {
                ((Socket) socket).setOption(option, value);
            } else if (socket instanceof NetworkChannel) {
                ((NetworkChannel) socket).setOption(option, value);
            }
        } catch (Exception | Error e) {
            if (reported.add(option.name())) {
                System.err.println("hotbind: could not set " + option.name() + "=" + value + " on " + socket + " (" + e
                        + "); that socket works without it (reported once per option)");
            }
        }
    }
}
