package dev.hotbind.jdk;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;

/**
 * The channels registered with a selector another thread is selecting on. {@code Selector.keys()} is
 * public, but only the JDK's own selectors ({@code sun.nio.ch.SelectorImpl}) keep their keys in a
 * concurrent set that a foreign thread may iterate while the owner selects; any other selector is
 * left alone.
 */
public final class SelectorKeys {
    private static final Class<?> SELECTOR_IMPL;
    /** Why selectors cannot be read on this JDK, or null when they can. */
    public static final String UNAVAILABLE;

    static {
        Class<?> selectorImpl = null;
        String unavailable = null;
        try {
            selectorImpl = Class.forName("sun.nio.ch.SelectorImpl");
        } catch (ClassNotFoundException | RuntimeException e) {
            unavailable = "the JDK's selector implementation is not there: " + e;
        }
        SELECTOR_IMPL = selectorImpl;
        UNAVAILABLE = unavailable;
    }

    /** One registration: the channel and the operations the selector watches for it. */
    public record Registration(SelectableChannel channel, int interestOps) {
        public boolean accepting() {
            return (interestOps & SelectionKey.OP_ACCEPT) != 0;
        }
    }

    private SelectorKeys() {
    }

    /** Whether {@code selector} is one of the JDK's, whose keys may be read here. */
    public static boolean readable(Object selector) {
        return UNAVAILABLE == null && SELECTOR_IMPL.isInstance(selector);
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
