package dev.hotbind.advice;

import java.util.List;

/**
 * Which advice goes on which methods of one JDK class. A method is named by its name and parameter
 * descriptor, compared as strings while the class file is read: nothing is loaded to match it.
 */
record Weaving(String typeName, List<On> advice) {

    /** One advice and the method of the JDK class it is woven into, e.g. {@code bind(Ljava/net/SocketAddress;I)}. */
    record On(Advice advice, String method) {
    }

    /** Every JDK class hotbind instruments, with all of its advice. */
    static final List<Weaving> ALL = List.of(
            new Weaving("java.net.ServerSocket", List.of(
                    new On(Advice.BIND, "bind(Ljava/net/SocketAddress;I)"),
                    new On(Advice.SOCKET_ACCEPT, "implAccept(Ljava/net/Socket;)"),
                    new On(Advice.CLOSED_ACCEPT, "accept()"),
                    new On(Advice.SERVER_CLOSE, "close()"))),
            new Weaving("sun.nio.ch.ServerSocketChannelImpl", List.of(
                    new On(Advice.BIND, "bind(Ljava/net/SocketAddress;I)"),
                    new On(Advice.CHANNEL_ACCEPT, "accept()"),
                    new On(Advice.CHANNEL_ACCEPT, "blockingAccept(J)"),
                    new On(Advice.SERVER_CLOSE, "implCloseSelectableChannel()"))),
            new Weaving("java.net.Socket", List.of(
                    new On(Advice.CONNECTION_CLOSE, "close()"))),
            new Weaving("sun.nio.ch.SocketChannelImpl", List.of(
                    new On(Advice.CONNECTION_CLOSE, "implCloseSelectableChannel()"))),
            new Weaving("java.lang.ProcessBuilder", List.of(
                    new On(Advice.CHILD_PROCESS, "start([Ljava/lang/ProcessBuilder$Redirect;)"))));

    /** The four socket classes: all a JVM without inherited sockets needs woven. */
    static final List<Weaving> SOCKETS = ALL.subList(0, 4);

    String internalName() {
        return typeName.replace('.', '/');
    }

    /** The advice for the method {@code name} with descriptor {@code descriptor}, or null. */
    Advice adviceFor(String name, String descriptor) {
        for (On on : advice) {
            String method = on.method();
            // the parameters end with ')', so a descriptor that starts with them has exactly them
            if (method.startsWith(name) && method.length() > name.length() && method.charAt(name.length()) == '('
                    && descriptor.startsWith(method.substring(name.length()))) {
                return on.advice();
            }
        }
        return null;
    }
}
