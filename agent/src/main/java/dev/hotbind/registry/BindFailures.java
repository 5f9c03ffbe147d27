package dev.hotbind.registry;

/** What becomes of an application bind that failed: see {@code SocketEvents.bindFailed}. */
public interface BindFailures {
    /** Nothing: every failure goes through to the application at once, as without hotbind. */
    BindFailures NONE = new BindFailures() {
        @Override
        public Object failed(Object previous, Object endpoint, Throwable failure) {
            return null;
        }

        @Override
        public void succeeded(Object previous) {
        }
    };

    /** Answers a wait to bind again, a Throwable to throw instead of {@code failure}, or null to let it through. */
    Object failed(Object previous, Object endpoint, Throwable failure);

    /** The bind {@code previous} waited for succeeded. */
    void succeeded(Object previous);
}
