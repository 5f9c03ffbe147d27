package dev.hotbind.registry;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Socket addresses as an operator writes them: {@code 127.0.0.1:8080}, {@code [::1]:8080}. */
public final class HostPort {
    private HostPort() {
    }

    public static String of(SocketAddress address) {
        if (!(address instanceof InetSocketAddress)) {
            return address == null ? "" : address.toString();
        }
        InetSocketAddress a = (InetSocketAddress) address;
        return a.getAddress() == null ? of(a.getHostString(), a.getPort()) : of(a.getAddress(), a.getPort());
    }

    public static String of(InetAddress host, int port) {
        return of(host.getHostAddress(), port);
    }

    private static String of(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
