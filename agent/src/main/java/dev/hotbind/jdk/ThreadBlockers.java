package dev.hotbind.jdk;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Field;
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
    /** Why the blockers cannot be read on this JDK, or null when they can. */
    public static final String UNAVAILABLE;

    static {
        VarHandle blocker = null;
        Class<?> channelInterruptor = null;
        VarHandle channelOf = null;
        Class<?> selectorInterruptor = null;
        VarHandle selectorOf = null;
        String unavailable = null;
        try {
            blocker = blockerField();
            channelInterruptor = Class.forName(AbstractInterruptibleChannel.class.getName() + "$1");
            channelOf = enclosing(channelInterruptor, AbstractInterruptibleChannel.class);
            selectorInterruptor = Class.forName(AbstractSelector.class.getName() + "$1");
            selectorOf = enclosing(selectorInterruptor, AbstractSelector.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unavailable = "threads' NIO blockers are not readable on this JDK: " + e;
        }
        BLOCKER = blocker;
        CHANNEL_INTERRUPTOR = channelInterruptor;
        CHANNEL_OF_INTERRUPTOR = channelOf;
        SELECTOR_INTERRUPTOR = selectorInterruptor;
        SELECTOR_OF_INTERRUPTOR = selectorOf;
        UNAVAILABLE = unavailable;
    }

    private ThreadBlockers() {
    }

    /**
     * The channel or selector {@code thread} is blocked on now (an {@link AbstractInterruptibleChannel}
     * or {@link AbstractSelector}), or null: not blocked in NIO, or unavailable.
     */
    public static Object blockedOn(Thread thread) {
        if (UNAVAILABLE != null) {
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

    private static VarHandle blockerField() throws ReflectiveOperationException {
        Field field;
        try {
            field = Thread.class.getDeclaredField("nioBlocker");
        } catch (NoSuchFieldException jdk17) {
            field = Thread.class.getDeclaredField("blocker");
        }
        return MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup()).unreflectVarHandle(field);
    }

    /** The interruptor's reference to its enclosing instance, found by type: javac names it, not the JDK. */
    private static VarHandle enclosing(Class<?> interruptor, Class<?> outer) throws ReflectiveOperationException {
        for (Field f : interruptor.getDeclaredFields()) {
            if (f.getType() == outer) {
                return MethodHandles.privateLookupIn(interruptor, MethodHandles.lookup()).unreflectVarHandle(f);
            }
        }
        throw new NoSuchFieldException(interruptor.getName() + " holds no " + outer.getSimpleName());
    }
}
