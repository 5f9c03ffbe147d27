package dev.hotbind.registry;

/**
 * Life cycle of a listener as an operator sees it. Each state has a fixed number, the {@code StateCode}
 * metrics alert on: 0 is the one state that serves, so "not 0" means new clients are refused.
 */
public enum ListenerState {
    /** Listening; the application accepts from it. */
    BOUND(0),
    /** The port is released by hotbind; the application's accept threads are held until a rebind. */
    UNBOUND(1),
    /** Not accepting; waiting for the connections it accepted to finish. */
    DRAINING(2),
    /** Closed by the application or by an operator. */
    CLOSED(3);

    private final int code;

    ListenerState(int code) {
        this.code = code;
    }

    /** The state's number for metrics; documented, so never renumbered. */
    public int code() {
        return code;
    }
}
