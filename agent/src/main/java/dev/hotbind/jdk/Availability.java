package dev.hotbind.jdk;

/**
 * Whether a group of JDK internals resolved in this JVM, and if not, why: another JDK that renamed a
 * member, or packages not opened to hotbind. Callers refuse with {@link #reason()} instead of failing
 * half-way.
 */
public final class Availability {
    static final Availability AVAILABLE = new Availability(null);

    private final String reason;

    private Availability(String reason) {
        this.reason = reason;
    }

    static Availability unavailable(String reason) {
        return new Availability(reason);
    }

    /** The first unavailable of several, else available. */
    static Availability all(Availability... parts) {
        for (Availability part : parts) {
            if (!part.available()) {
                return part;
            }
        }
        return AVAILABLE;
    }

    public boolean available() {
        return reason == null;
    }

    /** Why not; null when available. */
    public String reason() {
        return reason;
    }

    /** @throws IllegalStateException naming why, when unavailable */
    public void require() {
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
    }

    @Override
    public String toString() {
        return reason == null ? "available" : "unavailable: " + reason;
    }
}
