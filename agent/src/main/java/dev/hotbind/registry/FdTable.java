package dev.hotbind.registry;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Consumer;

/**
 * A lock-free map from file descriptor number to record. Descriptor numbers are small, dense and
 * unique among the open sockets of a process, so a paged array replaces hashing: one volatile read
 * to look up, one CAS to insert or remove, and pages are only ever added, never copied.
 */
final class FdTable<T> {
    private static final int PAGE_BITS = 10;
    private static final int PAGE_SIZE = 1 << PAGE_BITS;
    private static final int MAX_PAGES = 1 << 12;

    private final AtomicReferenceArray<AtomicReferenceArray<T>> pages = new AtomicReferenceArray<>(MAX_PAGES);

    T get(int fd) {
        AtomicReferenceArray<T> page = existingPage(fd);
        return page == null ? null : page.get(slot(fd));
    }

    /** Stores {@code value} at {@code fd} and returns what it replaced (a record whose close was missed). */
    T put(int fd, T value) {
        AtomicReferenceArray<T> page = page(fd);
        return page == null ? null : page.getAndSet(slot(fd), value);
    }

    boolean remove(int fd, T expected) {
        AtomicReferenceArray<T> page = existingPage(fd);
        return page != null && page.compareAndSet(slot(fd), expected, null);
    }

    boolean fits(int fd) {
        return fd >= 0 && (fd >>> PAGE_BITS) < MAX_PAGES;
    }

    void forEach(Consumer<T> action) {
        for (int p = 0; p < MAX_PAGES; p++) {
            AtomicReferenceArray<T> page = pages.get(p);
            if (page == null) {
                continue;
            }
            for (int i = 0; i < PAGE_SIZE; i++) {
                T value = page.get(slot(i));
                if (value != null) {
                    action.accept(value);
                }
            }
        }
    }

    /**
     * A descriptor's slot in its page. The kernel gives out the lowest free number, so a churning
     * server's connections hold a few neighbouring numbers, stored by the accept thread and removed by
     * the threads that close them, at once: with a reference slot of 4 bytes, 16 neighbours share a
     * 64-byte cache line, which then crossed CPUs at every store. A rotation of the number's bits within
     * the page puts consecutive numbers 64 slots apart, each on a line of its own; the page's size, the
     * table's memory and the descriptor order of {@link #forEach} stay as they were.
     */
    private static int slot(int fd) {
        int low = fd & (PAGE_SIZE - 1);
        return (low & 15) << (PAGE_BITS - 4) | low >>> 4;
    }

    private AtomicReferenceArray<T> existingPage(int fd) {
        return fits(fd) ? pages.get(fd >>> PAGE_BITS) : null;
    }

    private AtomicReferenceArray<T> page(int fd) {
        if (!fits(fd)) {
            return null;
        }
        int index = fd >>> PAGE_BITS;
        AtomicReferenceArray<T> page = pages.get(index);
        if (page == null) {
            pages.compareAndSet(index, null, new AtomicReferenceArray<>(PAGE_SIZE));
            page = pages.get(index);
        }
        return page;
    }
}
