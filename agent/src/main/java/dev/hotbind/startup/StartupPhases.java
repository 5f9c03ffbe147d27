package dev.hotbind.startup;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where hotbind's start-up time goes: one {@code System.nanoTime()} mark per phase, so the benchmark and
 * an operator (the Agent MBean's {@code StartupPhases}) see which step costs what. Steps that run after
 * {@code premain} returned (the Agent MBean on {@code hotbind-jmx}, each JDK class woven as it loads)
 * are added when they happen and say where.
 */
public final class StartupPhases {
    private final List<String> names = new ArrayList<>();
    private final List<Long> nanos = new ArrayList<>();
    private long last;

    /** @param begun {@code System.nanoTime()} when hotbind's entry point was called */
    public StartupPhases(long begun) {
        this.last = begun;
    }

    /** Ends the phase running since the previous mark, under {@code name}. */
    public synchronized void mark(String name) {
        long now = System.nanoTime();
        names.add(name);
        nanos.add(now - last);
        last = now;
    }

    /** Records a phase timed on its own, e.g. one that ran on a {@code hotbind-*} thread. */
    public synchronized void add(String name, long elapsedNanos) {
        names.add(name);
        nanos.add(elapsedNanos);
    }

    /** Runs {@code step} and records how long it took, e.g. one that runs on a {@code hotbind-*} thread. */
    public void time(String name, Runnable step) {
        long begun = System.nanoTime();
        step.run();
        add(name, System.nanoTime() - begun);
    }

    /** One line per phase, {@code name: 12.3 ms}, in the order they were recorded. */
    public synchronized String[] lines() {
        String[] lines = new String[names.size()];
        for (int i = 0; i < lines.length; i++) {
            lines[i] = String.format(Locale.ROOT, "%s: %.1f ms", names.get(i), nanos.get(i) / 1e6);
        }
        return lines;
    }

    @Override
    public String toString() {
        return String.join(", ", lines());
    }
}
