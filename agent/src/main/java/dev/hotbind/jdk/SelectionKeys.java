package dev.hotbind.jdk;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;

/**
 * A channel's selection keys ({@code AbstractSelectableChannel.keys}) and how a selector registers one
 * with the kernel ({@code SelectionKeyImpl.registeredEvents}, {@code SelectorImpl.setEventOps}).
 */
final class SelectionKeys {
    private static final SelectionKey[] NONE = {};
    private static final VarHandle KEYS;
    private static final MethodHandle REGISTERED_EVENTS;
    private static final MethodHandle SET_EVENT_OPS;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("selection keys");
        KEYS = r.field(AbstractSelectableChannel.class, "keys", SelectionKey[].class);
        Class<?> keyImpl = r.type("sun.nio.ch.SelectionKeyImpl");
        REGISTERED_EVENTS = r.method(keyImpl, "registeredEvents", void.class, int.class);
        SET_EVENT_OPS = r.method(r.type("sun.nio.ch.SelectorImpl"), "setEventOps", void.class, keyImpl);
        AVAILABILITY = r.availability();
    }

    private SelectionKeys() {
    }

    /**
     * After a dup2 the selector's epoll registration of the old socket is gone while the key still
     * believes it is registered: forget the registration and queue the interest ops again, so the
     * selector adds the new socket on its next round. Answers how many keys were re-armed.
     */
    static int rearm(AbstractSelectableChannel channel) throws IOException {
        // a racy read of the JDK's key array is enough: a key registered after it sees the new socket anyway
        SelectionKey[] keys = (SelectionKey[]) KEYS.get(channel);
        int rearmed = 0;
        for (SelectionKey key : keys == null ? NONE : keys.clone()) {
            if (key != null && key.isValid()) {
                Selector selector = key.selector();
                try {
                    REGISTERED_EVENTS.invoke(key, 0);
                    SET_EVENT_OPS.invoke(selector, key);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IOException(t);
                }
                selector.wakeup();
                rearmed++;
            }
        }
        return rearmed;
    }
}
