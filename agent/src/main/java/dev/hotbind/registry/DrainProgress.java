package dev.hotbind.registry;

/** A running drain as its listener's record shows it. */
public interface DrainProgress {
    /** Connections still open. */
    int remaining();

    /** What a reader sees while the drain runs. */
    String progress();
}
