package dev.hotbind.registry;

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
        String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
