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

    /** Tells {@code first}, then {@code second}. */
    static RegistryObserver both(RegistryObserver first, RegistryObserver second) {
        if (first == NONE) {
            return second;
        }
        return new RegistryObserver() {
            @Override
            public void listenerAdded(ListenerRecord listener) {
                first.listenerAdded(listener);
                second.listenerAdded(listener);
            }

            @Override
            public void listenerChanged(ListenerRecord listener) {
                first.listenerChanged(listener);
                second.listenerChanged(listener);
            }

            @Override
            public void listenerRemoved(ListenerRecord listener) {
                first.listenerRemoved(listener);
                second.listenerRemoved(listener);
            }
        };
    }
}
