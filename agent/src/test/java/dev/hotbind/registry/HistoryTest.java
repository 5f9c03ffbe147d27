package dev.hotbind.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {
    @Test
    void keepsTheNewestOldestFirst() {
        History<Integer> history = new History<>(3);
        for (int i = 1; i <= 5; i++) {
            history.add(i);
        }
        assertEquals(List.of(3, 4, 5), history.snapshot());
    }
}
