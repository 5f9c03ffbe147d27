package dev.hotbind.audit.jfr;

import dev.hotbind.audit.Finding;
import dev.hotbind.audit.SaturatedListener;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.RegistryObserver;

/**
 * hotbind's JFR events, category {@code hotbind}. Each method costs a flag check unless a recording
 * enables the event ({@code shouldCommit}), and does nothing when the runtime lacks {@code jdk.jfr}
 * (a jlinked image): the event classes are only touched behind that check. Nor does an application
 * thread touch them before something has started the flight recorder: the first use of an event class
 * brings up JFR's machinery (about a hundred classes), and without a recorder no event could be enabled
 * anyway. {@link #registerWhenRecording} pays that once, when a recorder starts. An operation's event is
 * begun before the operation and committed after it, so its duration is the operation's; the begun event
 * travels as an {@code Object} (null without a recorder) so callers need not see the event classes.
 */
public final class ListenerEvents {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    /** The kinds of {@code ListenerRebound}. */
    public static final String SAME_PORT = "same-port";
    public static final String REBIND_TO = "rebindTo";
    public static final String FROM_UNBOUND = "from UNBOUND";

    /** Records bound and closed listeners as the registry sees them. */
    public static final RegistryObserver OBSERVER = new RegistryObserver() {
        @Override
        public void listenerAdded(ListenerRecord listener) {
            bound(listener);
        }

        @Override
        public void listenerRemoved(ListenerRecord listener) {
            closed(listener);
        }
    };

    private ListenerEvents() {
    }

    private static boolean recording() {
        return AVAILABLE && Recorder.initialized();
    }

    /**
     * Has every hotbind event type registered once the flight recorder starts, so a recording lists them
     * (and JMC can show them) before any fired, whether it was started before hotbind or later. A
     * failure costs only that: events are then registered when first used. Cheap without a recording
     * (the registration itself, about 200 ms of CPU, waits for one); call it off premain all the same.
     */
    public static void registerWhenRecording() {
        if (AVAILABLE) {
            try {
                Recorder.registerWhenRecorderStarts();
            } catch (RuntimeException | LinkageError e) {
                System.err.println("hotbind: JFR event types not registered ahead (" + e + "); they appear once fired");
            }
        }
    }

    public static void bound(ListenerRecord listener) {
        if (recording()) {
            Recorder.bound(listener);
        }
    }

    public static void closed(ListenerRecord listener) {
        if (recording()) {
            Recorder.closed(listener);
        }
    }

    /** Call right before a rebind's swap; pass the answer to {@link #rebound}. */
    public static Object beginRebound() {
        return recording() ? Recorder.beginRebound() : null;
    }

    /**
     * After a rebind: {@code listener} has its new address; the accept pause lasted {@code micros};
     * {@code kind} is {@link #SAME_PORT}, {@link #REBIND_TO} or {@link #FROM_UNBOUND}.
     */
    public static void rebound(Object begun, ListenerRecord listener, String oldAddress, String kind, long micros,
                               int queued, int handedOver) {
        if (begun != null) {
            Recorder.rebound(begun, listener, oldAddress, kind, micros, queued, handedOver);
        }
    }

    /** Call right before an unbind's swap; pass the answer to {@link #unbound}. */
    public static Object beginUnbound() {
        return recording() ? Recorder.beginUnbound() : null;
    }

    public static void unbound(Object begun, ListenerRecord listener, long micros, int queued, int handedOver) {
        if (begun != null) {
            Recorder.unbound(begun, listener, micros, queued, handedOver);
        }
    }

    /** A drain has released the port; returns what {@link #drainEnded} takes, timing the whole drain. */
    public static Object drainStarted(ListenerRecord listener, int open, long timeoutMillis) {
        if (!recording()) {
            return null;
        }
        Recorder.drainStarted(listener, open, timeoutMillis);
        return Recorder.beginDrain();
    }

    public static void drainEnded(Object begun, ListenerRecord listener, int openAtStart, long byApplication,
                                  int forceClosed, int left, long timeoutMillis) {
        if (begun != null) {
            Recorder.drainEnded(begun, listener, openAtStart, byApplication, forceClosed, left, timeoutMillis);
        }
    }

    /** Call at a bind's first refusal that hotbind will retry; pass the answer to {@link #bindRetried}. */
    public static Object beginBindRetried() {
        return recording() ? Recorder.beginBindRetried() : null;
    }

    /** A retried bind ended: {@code outcome} says how, after {@code retries} attempts beyond the first. */
    public static void bindRetried(Object begun, String address, int retries, String outcome) {
        if (begun != null) {
            Recorder.bindRetried(begun, address, retries, outcome);
        }
    }

    public static void saturated(SaturatedListener finding) {
        if (recording()) {
            Recorder.saturated(finding);
        }
    }

    public static void orphan(Finding finding) {
        if (recording()) {
            Recorder.orphan(finding);
        }
    }
}
