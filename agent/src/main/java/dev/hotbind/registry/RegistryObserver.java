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

    /**
     * Tells {@code first}, then {@code second}, also when {@code first} fails: a failing observer (a JFR
     * event that cannot be committed) must not keep a listener from being published over JMX.
     */
    static RegistryObserver both(RegistryObserver first, RegistryObserver second) {
        if (first == NONE) {
            return second;
        }
        return new RegistryObserver() {
            @Override
            public void listenerAdded(ListenerRecord listener) {
                try {
                    first.listenerAdded(listener);
                } finally {
                    second.listenerAdded(listener);
                }
            }

            @Override
            public void listenerChanged(ListenerRecord listener) {
                try {
                    first.listenerChanged(listener);
                } finally {
                    second.listenerChanged(listener);
                }
            }

            @Override
            public void listenerRemoved(ListenerRecord listener) {
                try {
                    first.listenerRemoved(listener);
                } finally {
                    second.listenerRemoved(listener);
                }
            }
        };
    }
}
