package dev.hotbind.audit;

/**
 * A listening socket of this process that hotbind has not seen: opened natively (Netty's epoll
 * transport, gRPC's default transport) or bound before an attach and not accepted on since.
 */
public record UnmanagedListener(long inode, int fd, String address, long acceptQueueDepth)
        implements Finding {
    public static final String KIND = "unmanagedListener";

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
                + ") was not opened through java.net or java.nio, or was bound before hotbind was attached";
    }
}
