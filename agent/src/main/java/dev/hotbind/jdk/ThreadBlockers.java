package dev.hotbind.jdk;

import java.lang.invoke.VarHandle;
import java.nio.channels.spi.AbstractInterruptibleChannel;
import java.nio.channels.spi.AbstractSelector;

/**
 * What a platform thread is blocked on in NIO, read from {@code java.lang.Thread}'s blocker field
 * ({@code blocker} on JDK 17, {@code nioBlocker} on 21+): the JDK sets it, for as long as a thread is
 * inside a blocking channel operation or {@code Selector.select()}, to an interruptor whose enclosing
 * instance is that channel or selector. Reading it has no effect on the thread. Needs {@code java.lang}
 * and {@code java.nio.channels.spi} opened to this module.
 */
public final class ThreadBlockers {
    private static final VarHandle BLOCKER;
    private static final Class<?> CHANNEL_INTERRUPTOR;
    private static final VarHandle CHANNEL_OF_INTERRUPTOR;
    private static final Class<?> SELECTOR_INTERRUPTOR;
    private static final VarHandle SELECTOR_OF_INTERRUPTOR;
    private static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("threads' NIO blockers");
        Class<?> interruptible = r.type("sun.nio.ch.Interruptible");
        VarHandle blocker = r.optionalField(Thread.class, "nioBlocker", interruptible);
        BLOCKER = blocker != null ? blocker : r.field(Thread.class, "blocker", interruptible);
        // the interruptors are anonymous classes: javac names them and their enclosing-instance fields
        CHANNEL_INTERRUPTOR = r.type(AbstractInterruptibleChannel.class.getName() + "$1");
        CHANNEL_OF_INTERRUPTOR = r.fieldOfType(CHANNEL_INTERRUPTOR, AbstractInterruptibleChannel.class);
        SELECTOR_INTERRUPTOR = r.type(AbstractSelector.class.getName() + "$1");
        SELECTOR_OF_INTERRUPTOR = r.fieldOfType(SELECTOR_INTERRUPTOR, AbstractSelector.class);
        AVAILABILITY = r.availability();
    }

    private ThreadBlockers() {
    }

    public static Availability availability() {
        return AVAILABILITY;
    }

    /**
     * The channel or selector {@code thread} is blocked on now (an {@link AbstractInterruptibleChannel}
     * or {@link AbstractSelector}), or null: not blocked in NIO, or unavailable.
     */
    public static Object blockedOn(Thread thread) {
        if (!AVAILABILITY.available()) {
            return null;
        }
        Object interruptor = BLOCKER.getVolatile(thread);
        if (CHANNEL_INTERRUPTOR.isInstance(interruptor)) {
            return CHANNEL_OF_INTERRUPTOR.get(interruptor);
        }
        if (SELECTOR_INTERRUPTOR.isInstance(interruptor)) {
            return SELECTOR_OF_INTERRUPTOR.get(interruptor);
        }
        return null;
    }
}
