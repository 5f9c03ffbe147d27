package dev.hotbind.audit;

/**
 * A listening socket of this process that hotbind has not seen: opened natively (Netty's epoll
 * transport, gRPC's default transport), or bound before an attach where the discovery could not
 * reach it; {@code reason} says which it can tell.
 */
public record UnmanagedListener(long inode, int fd, String address, long acceptQueueDepth, String reason)
        implements Finding {
    public static final String KIND = "unmanagedListener";
    /** Why a listener that appeared after the attach, or with hotbind loaded at start-up, is not seen. */
    static final String NOT_JAVA = "not opened through java.net or java.nio (a native transport or JNI)";

    @Override
    public String key() {
        return KIND + ":" + inode;
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public String summary() {
        return "listening socket " + address + " (fd " + fd + ", inode " + inode
                + "): " + reason;
    }
}
