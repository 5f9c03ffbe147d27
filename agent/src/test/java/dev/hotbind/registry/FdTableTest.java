package dev.hotbind.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FdTableTest {
    private final FdTable<String> table = new FdTable<>();

    @Test
    void storesAcrossPagesAndRemovesOnlyTheExpectedValue() {
        assertNull(table.put(3, "a"));
        assertNull(table.put(5000, "b"));
        assertEquals("a", table.put(3, "c"), "put returns the record it displaced");
        assertFalse(table.remove(3, "a"));
        assertTrue(table.remove(3, "c"));
        assertNull(table.get(3));
        List<String> all = new ArrayList<>();
        table.forEach(all::add);
        assertEquals(List.of("b"), all);
    }

    @Test
    void keepsEveryDescriptorOfAPageApartAndListsThemInDescriptorOrder() {
        for (int fd = 1023; fd >= 0; fd--) {
            assertNull(table.put(fd, "fd" + fd));
        }
        List<String> all = new ArrayList<>();
        table.forEach(all::add);
        assertEquals(1024, all.size());
        for (int fd = 0; fd < 1024; fd++) {
            assertEquals("fd" + fd, all.get(fd));
            assertEquals("fd" + fd, table.get(fd));
        }
    }

    @Test
    void refusesDescriptorsOutsideItsRange() {
        assertFalse(table.fits(-1));
        assertNull(table.put(-1, "x"));
        assertNull(table.get(Integer.MAX_VALUE));
    }
}
