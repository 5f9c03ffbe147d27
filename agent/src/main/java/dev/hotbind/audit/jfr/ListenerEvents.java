package dev.hotbind.audit.jfr;

import dev.hotbind.audit.Finding;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.RegistryObserver;

/**
 * hotbind's JFR events, category {@code hotbind}. Each method costs a flag check unless a recording
 * enables the event ({@code shouldCommit}), and does nothing when the runtime lacks {@code jdk.jfr}
 * (a jlinked image): the event classes are only touched behind that check. Nor are they touched
 * before something has started the flight recorder: the first use of an event class brings up JFR's
 * machinery (about a hundred classes), and without a recorder no event could be enabled anyway.
 */
public final class ListenerEvents {
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

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

    /** For the rebind operation: {@code listener} now has its new address; the accept pause lasted {@code micros}. */
    public static void rebound(ListenerRecord listener, String oldAddress, long micros) {
        if (recording()) {
            Recorder.rebound(listener, oldAddress, micros);
        }
    }

    public static void orphan(Finding finding) {
        if (recording()) {
            Recorder.orphan(finding);
        }
    }
}
