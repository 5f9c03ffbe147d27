package dev.hotbind.audit.jfr;

import dev.hotbind.audit.Finding;
import dev.hotbind.registry.ListenerRecord;
import jdk.jfr.FlightRecorder;

/** The only class that touches the event types; loaded only when {@code jdk.jfr} is present. */
final class Recorder {
    private Recorder() {
    }

    /** Whether a recording was ever started in this JVM; a cheap static read that loads no JFR internals. */
    static boolean initialized() {
        return FlightRecorder.isInitialized();
    }

    static void bound(ListenerRecord l) {
        ListenerBoundEvent e = new ListenerBoundEvent();
        if (e.shouldCommit()) {
            e.listenerId = l.id();
            e.address = l.address();
            e.kind = l.kind();
            e.backlog = l.backlog();
            e.bindThread = l.bindThread();
            e.commit();
        }
    }

    static void closed(ListenerRecord l) {
        ListenerClosedEvent e = new ListenerClosedEvent();
        if (e.shouldCommit()) {
            e.listenerId = l.id();
            e.address = l.address();
            e.acceptedCount = l.acceptedCount();
            e.openConnections = l.openConnections();
            e.commit();
        }
    }

    static void rebound(ListenerRecord l, String oldAddress, long micros) {
        ListenerReboundEvent e = new ListenerReboundEvent();
        if (e.shouldCommit()) {
            e.listenerId = l.id();
            e.oldAddress = oldAddress;
            e.newAddress = l.address();
            e.pause = micros;
            e.commit();
        }
    }

    static void orphan(Finding f) {
        OrphanDetectedEvent e = new OrphanDetectedEvent();
        if (e.shouldCommit()) {
            e.kind = f.kind();
            e.key = f.key();
            e.summary = f.summary();
            e.commit();
        }
    }
}
