package dev.hotbind.registry;

/** Told about listeners appearing, changing and going away; the JMX layer publishes MBeans from it. */
public interface RegistryObserver {
    RegistryObserver NONE = new RegistryObserver() {
    };

    default void listenerAdded(ListenerRecord listener) {
    }

    /** Its address or state changed. */
    default void listenerChanged(ListenerRecord listener) {
    }

    default void listenerRemoved(ListenerRecord listener) {
    }
}
