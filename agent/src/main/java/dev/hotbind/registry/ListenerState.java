package dev.hotbind.registry;

/** Life cycle of a listener as an operator sees it. */
public enum ListenerState {
    /** Listening; the application accepts from it. */
    BOUND,
    /** The port is released by hotbind; the application's accept threads are held until a rebind. */
    UNBOUND,
    /** Not accepting; waiting for the connections it accepted to finish. */
    DRAINING,
    /** Closed by the application or by an operator. */
    CLOSED
}
