package dev.hotbind.jdk;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A channel's selection keys ({@code AbstractSelectableChannel.keys}), how a selector registers one
 * with the kernel ({@code SelectionKeyImpl.registeredEvents}, {@code SelectorImpl.setEventOps}), and
 * the keys of a selector another thread is selecting on: {@code Selector.keys()} is public, but only
 * the JDK's own selectors ({@code SelectorImpl}) keep them in a set that a foreign thread may iterate
 * while the owner selects; any other selector is left alone. The channel's {@code keyLock} (held by
 * {@code register} from creating a key to adding it to the channel) and the epoll selector's
 * {@code updateLock} (held while it applies queued interest changes to the kernel) are what a swap
 * and a re-arm synchronize with.
 */
public final class SelectionKeys {
    private static final SelectionKey[] NONE = {};
    private static final Class<?> SELECTOR_IMPL;
    private static final VarHandle KEYS;
    private static final VarHandle KEY_LOCK;
    private static final Class<?> EPOLL_SELECTOR;
    private static final VarHandle UPDATE_LOCK;
    private static final MethodHandle REGISTERED_EVENTS;
    private static final MethodHandle SET_EVENT_OPS;
    static final Availability AVAILABILITY;
    /** Reading a selector's keys needs only the JDK's selector class, not the members a re-arm uses. */
    private static final Availability READING;

    static {
        Resolver r = new Resolver("selection keys");
        SELECTOR_IMPL = r.type("sun.nio.ch.SelectorImpl");
        READING = r.availability();
        KEYS = r.field(AbstractSelectableChannel.class, "keys", SelectionKey[].class);
        KEY_LOCK = r.field(AbstractSelectableChannel.class, "keyLock", Object.class);
        EPOLL_SELECTOR = r.type("sun.nio.ch.EPollSelectorImpl");
        UPDATE_LOCK = r.field(EPOLL_SELECTOR, "updateLock", Object.class);
        Class<?> keyImpl = r.type("sun.nio.ch.SelectionKeyImpl");
        REGISTERED_EVENTS = r.method(keyImpl, "registeredEvents", void.class, int.class);
        SET_EVENT_OPS = r.method(SELECTOR_IMPL, "setEventOps", void.class, keyImpl);
        AVAILABILITY = r.availability();
    }

    /** One registration: the channel and the operations the selector watches for it. */
    public record Registration(SelectableChannel channel, int interestOps) {
        public boolean accepting() {
            return (interestOps & SelectionKey.OP_ACCEPT) != 0;
        }
    }

    private SelectionKeys() {
    }

    /**
     * After a dup2 the selector's epoll registration of the old socket is gone while the key still
     * believes it is registered: forget the registration and queue the interest ops again, so the
     * selector adds the new socket on its next round. Answers how many keys were re-armed.
     */
    static int rearm(AbstractSelectableChannel channel) throws IOException {
        // under the key lock (see registrationLock), so the array holds every key of the channel
        SelectionKey[] keys = (SelectionKey[]) KEYS.get(channel);
        int rearmed = 0;
        for (SelectionKey key : keys == null ? NONE : keys.clone()) {
            if (key != null && key.isValid()) {
                Selector selector = key.selector();
                // a selector applying this key's queued registration right now (the first select after
                // register, an interest change) would otherwise record it as registered after we reset
                // it, for the old socket, and never add the new one
                synchronized (updateLock(selector)) {
                    try {
                        REGISTERED_EVENTS.invoke(key, 0);
                        SET_EVENT_OPS.invoke(selector, key);
                    } catch (RuntimeException | Error e) {
                        throw e;
                    } catch (Throwable t) {
                        throw new IOException(t);
                    }
                }
                selector.wakeup();
                rearmed++;
            }
        }
        return rearmed;
    }

    /**
     * The lock {@code register} holds from creating a key to adding it to the channel: held across a
     * swap and its re-arm, a registration is either all seen by the re-arm or made after the swap
     * (and then for the new socket).
     */
    static Object registrationLock(AbstractSelectableChannel channel) {
        return KEY_LOCK.get(channel);
    }

    /** The epoll selector's lock over its queue of registrations; another kind's queue is not known, nothing to hold. */
    private static Object updateLock(Selector selector) {
        return EPOLL_SELECTOR.isInstance(selector) ? UPDATE_LOCK.get(selector) : new Object();
    }

    /** Whether other threads' selectors can be read in this JVM, and if not why. */
    public static Availability readAvailability() {
        return READING;
    }

    /** Whether {@code selector} is one of the JDK's, whose keys may be read here. */
    public static boolean readable(Object selector) {
        return SELECTOR_IMPL != null && SELECTOR_IMPL.isInstance(selector);
    }

    /** The valid registrations of one of the JDK's selectors; empty for any other or a closed one. */
    public static List<Registration> of(Object selector) {
        List<Registration> found = new ArrayList<>();
        if (!readable(selector)) {
            return found;
        }
        try {
            for (SelectionKey key : ((Selector) selector).keys()) {
                try {
                    found.add(new Registration(key.channel(), key.interestOps()));
                } catch (CancelledKeyException cancelled) {
                    // being deregistered: not the selector's any more
                }
            }
        } catch (ClosedSelectorException closed) {
            found.clear();
        }
        return found;
    }
}
