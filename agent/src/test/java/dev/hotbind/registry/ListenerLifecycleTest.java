package dev.hotbind.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The transition rules: compare-and-set from what the writer saw, CLOSED final, DRAINING at once. */
class ListenerLifecycleTest {
    private static final ListenerSettings SETTINGS = new ListenerSettings(50, false, 0, null);

    private static final DrainProgress DRAIN = new DrainProgress() {
        @Override
        public int remaining() {
            return 3;
        }

        @Override
        public String progress() {
            return "draining";
        }
    };

    @Test
    void closedIsFinal() {
        ListenerLifecycle lifecycle = new ListenerLifecycle();
        lifecycle.parked(SETTINGS);
        assertTrue(lifecycle.close());
        assertFalse(lifecycle.close(), "only the first close counts");
        assertNull(lifecycle.parked(), "nothing kept for a closed listener");
        for (ListenerState from : new ListenerState[] {ListenerState.BOUND, ListenerState.UNBOUND,
                ListenerState.DRAINING}) {
            assertFalse(lifecycle.transition(from, ListenerState.BOUND));
        }
        assertFalse(lifecycle.startDrain(ListenerState.CLOSED));
        assertEquals(ListenerState.CLOSED, lifecycle.state());
        assertThrows(IllegalArgumentException.class,
                () -> lifecycle.transition(ListenerState.CLOSED, ListenerState.BOUND));
        assertThrows(IllegalArgumentException.class,
                () -> lifecycle.transition(ListenerState.BOUND, ListenerState.CLOSED));
    }

    /** A move that read UNBOUND and finishes after the application's close must not revive the listener. */
    @Test
    void closeDuringAMoveWinsWhateverTheOrder() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            ListenerLifecycle lifecycle = new ListenerLifecycle();
            assertTrue(lifecycle.transition(ListenerState.BOUND, ListenerState.UNBOUND));
            CyclicBarrier start = new CyclicBarrier(2);
            AtomicBoolean moved = new AtomicBoolean();
            Thread move = new Thread(() -> {
                ListenerState seen = lifecycle.state();
                await(start);
                moved.set(lifecycle.transition(seen, ListenerState.BOUND));
            });
            move.start();
            await(start);
            boolean closed = lifecycle.close();
            move.join();
            assertTrue(closed, "the application's close always takes effect");
            assertEquals(ListenerState.CLOSED, lifecycle.state(), "round " + round + ", move won: " + moved.get());
        }
    }

    @Test
    void aDrainIsDrainingFromItsFirstInstantAndEndsUnbound() {
        ListenerLifecycle lifecycle = new ListenerLifecycle();
        assertTrue(lifecycle.startDrain(ListenerState.BOUND));
        assertEquals(ListenerState.DRAINING, lifecycle.state());
        assertNull(lifecycle.drain(), "nothing to count before the port is released");
        lifecycle.draining(DRAIN);
        assertSame(DRAIN, lifecycle.drain());
        assertFalse(lifecycle.startDrain(ListenerState.DRAINING), "one drain at a time");
        assertFalse(lifecycle.transition(ListenerState.BOUND, ListenerState.UNBOUND), "a stale unbind loses");
        lifecycle.endDrain("drained");
        assertEquals(ListenerState.UNBOUND, lifecycle.state());
        assertNull(lifecycle.drain());
        assertEquals("drained", lifecycle.lastDrain());
    }

    @Test
    void aDrainThatCannotReleaseThePortGoesBack() {
        ListenerLifecycle lifecycle = new ListenerLifecycle();
        assertTrue(lifecycle.startDrain(ListenerState.BOUND));
        lifecycle.abandonDrain(ListenerState.BOUND);
        assertEquals(ListenerState.BOUND, lifecycle.state());
        assertNull(lifecycle.drain());
    }

    @Test
    void aDrainEndingAfterACloseLeavesItClosed() {
        ListenerLifecycle lifecycle = new ListenerLifecycle();
        assertTrue(lifecycle.startDrain(ListenerState.BOUND));
        assertTrue(lifecycle.close());
        lifecycle.endDrain("drained");
        assertEquals(ListenerState.CLOSED, lifecycle.state());
    }

    @Test
    void resumingForgetsTheParkedSettings() {
        ListenerLifecycle lifecycle = new ListenerLifecycle();
        assertTrue(lifecycle.transition(ListenerState.BOUND, ListenerState.UNBOUND));
        lifecycle.parked(SETTINGS);
        assertSame(SETTINGS, lifecycle.parked());
        assertTrue(lifecycle.transition(ListenerState.UNBOUND, ListenerState.BOUND));
        assertNull(lifecycle.parked());
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
