package dev.hotbind.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/** The most recently closed records, bounded: the newest overwrites the oldest. Lock-free. */
final class History<T> {
    private final AtomicReferenceArray<T> slots;
    private final AtomicLong next = new AtomicLong();

    History(int capacity) {
        slots = new AtomicReferenceArray<>(Math.max(1, capacity));
    }

    void add(T value) {
        slots.set((int) (next.getAndIncrement() % slots.length()), value);
    }

    /** Oldest first. */
    List<T> snapshot() {
        long end = next.get();
        long start = Math.max(0, end - slots.length());
        List<T> out = new ArrayList<>((int) (end - start));
        for (long i = start; i < end; i++) {
            T value = slots.get((int) (i % slots.length()));
            if (value != null) {
                out.add(value);
            }
        }
        return out;
    }
}
