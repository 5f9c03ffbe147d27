package dev.hotbind.registry;

/** What became of an accepted connection. */
public enum ConnectionState {
    OPEN,
    /** Closed by the application (or by hotbind on an operator's request). */
    CLOSED,
    /** Garbage-collected without ever being closed: the JDK's cleaner closed its descriptor. */
    COLLECTED,
    /** Its descriptor number was reused by a later connection before hotbind saw it close. */
    LOST
}
