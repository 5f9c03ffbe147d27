package dev.hotbind.registry;

/**
 * Lets hotbind give the application, in place of a connection it has just accepted, another one
 * hotbind accepted for it (see {@code rebind.Handover}). Consulted on the accept path only while
 * {@link #expecting()} answers true, which a single volatile read decides.
 */
public interface AcceptSubstitution {
    boolean expecting();

    /** Called on the application's accept thread before the connection is registered. */
    void substitute(Object accepted);
}
