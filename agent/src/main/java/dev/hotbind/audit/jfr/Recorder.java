package dev.hotbind.audit.jfr;

import dev.hotbind.audit.Finding;
import dev.hotbind.audit.OrphanedAcceptThread;
import dev.hotbind.audit.OrphanedConnection;
import dev.hotbind.audit.OrphanedListener;
import dev.hotbind.audit.SaturatedListener;
import dev.hotbind.audit.UnmanagedListener;
import dev.hotbind.registry.ListenerRecord;
import java.util.List;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/** The only class that touches the event types; loaded only when {@code jdk.jfr} is present. */
final class Recorder {
    private Recorder() {
    }

    /** Whether a recording was ever started in this JVM; a cheap static read that loads no JFR internals. */
    static boolean initialized() {
        return FlightRecorder.isInitialized();
    }

    /**
     * Registers every hotbind event type as soon as the flight recorder is initialized: at once when
     * it already is (a recording started with the JVM), else by the thread that initializes it, before
     * that first recording is created, so its metadata lists them before they fire. Without a recording
     * nothing is paid: registering initialises JFR's metadata repository, about 200 ms of CPU.
     */
    static void registerWhenRecorderStarts() {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                register();
            }
        });
    }

    /** A local list, not a constant: {@link #initialized} must not load the event classes. */
    private static void register() {
        try {
            List<Class<? extends Event>> types = List.of(ListenerBoundEvent.class, ListenerClosedEvent.class,
                    ListenerReboundEvent.class, ListenerUnboundEvent.class, DrainStartedEvent.class,
                    DrainEndedEvent.class, OrphanDetectedEvent.class, BindRetriedEvent.class,
                    ListenerSaturatedEvent.class);
            types.forEach(FlightRecorder::register);
        } catch (RuntimeException | LinkageError e) {
            // on the thread that started the recorder, maybe the application's: nothing of ours reaches it
            System.err.println("hotbind: JFR event types not registered ahead (" + e + "); they appear once fired");
        }
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

    /** An event whose duration starts now: the swap or the drain it times. */
    static Object beginRebound() {
        ListenerReboundEvent e = new ListenerReboundEvent();
        e.begin();
        return e;
    }

    static Object beginUnbound() {
        ListenerUnboundEvent e = new ListenerUnboundEvent();
        e.begin();
        return e;
    }

    static Object beginDrain() {
        DrainEndedEvent e = new DrainEndedEvent();
        e.begin();
        return e;
    }

    static Object beginBindRetried() {
        BindRetriedEvent e = new BindRetriedEvent();
        e.begin();
        return e;
    }

    static void bindRetried(Object begun, String address, int retries, String outcome) {
        BindRetriedEvent e = (BindRetriedEvent) begun;
        e.end();
        if (e.shouldCommit()) {
            e.address = address;
            e.retries = retries;
            e.outcome = outcome;
            e.commit();
        }
    }

    static void rebound(Object begun, ListenerRecord l, String oldAddress, String kind, long micros, int queued,
                        int handedOver) {
        ListenerReboundEvent e = (ListenerReboundEvent) begun;
        e.end();
        if (e.shouldCommit()) {
            e.listenerId = l.id();
            e.oldAddress = oldAddress;
            e.newAddress = l.address();
            e.rebindKind = kind;
            e.pause = micros;
            e.queued = queued;
            e.handedOver = handedOver;
            e.commit();
        }
    }

    static void unbound(Object begun, ListenerRecord l, long micros, int queued, int handedOver) {
        ListenerUnboundEvent e = (ListenerUnboundEvent) begun;
        e.end();
        if (e.shouldCommit()) {
            e.listenerId = l.id();
            e.address = l.address();
            e.pause = micros;
            e.queued = queued;
            e.handedOver = handedOver;
            e.commit();
        }
    }

    static void drainStarted(ListenerRecord l, int open, long timeoutMillis) {
        DrainStartedEvent e = new DrainStartedEvent();
        if (e.shouldCommit()) {
            e.listenerId = l.id();
            e.address = l.address();
            e.openConnections = open;
            e.timeout = timeoutMillis;
            e.commit();
        }
    }

    static void drainEnded(Object begun, ListenerRecord l, int openAtStart, long byApplication, int forceClosed,
                           int left, long timeoutMillis) {
        DrainEndedEvent e = (DrainEndedEvent) begun;
        e.end();
        if (e.shouldCommit()) {
            e.listenerId = l.id();
            e.address = l.address();
            e.openAtStart = openAtStart;
            e.closedByApplication = byApplication;
            e.forceClosed = forceClosed;
            e.leftOpen = left;
            e.timeout = timeoutMillis;
            e.commit();
        }
    }

    static void saturated(SaturatedListener f) {
        ListenerSaturatedEvent e = new ListenerSaturatedEvent();
        if (e.shouldCommit()) {
            e.listenerId = f.listenerId();
            e.address = f.address();
            e.acceptQueueDepth = f.acceptQueueDepth();
            e.backlog = f.backlog();
            e.listenOverflows = f.listenOverflows();
            e.suggestion = f.suggestion();
            e.commit();
        }
    }

    static void orphan(Finding f) {
        OrphanDetectedEvent e = new OrphanDetectedEvent();
        if (e.shouldCommit()) {
            e.kind = f.kind();
            e.key = f.key();
            e.summary = f.summary();
            e.listenerId = -1;
            e.connectionId = -1;
            e.threadId = -1;
            e.inode = -1;
            if (f instanceof OrphanedAcceptThread) {
                e.listenerId = ((OrphanedAcceptThread) f).listenerId();
                e.threadId = ((OrphanedAcceptThread) f).threadId();
            } else if (f instanceof OrphanedListener) {
                e.listenerId = ((OrphanedListener) f).listenerId();
            } else if (f instanceof OrphanedConnection) {
                e.listenerId = ((OrphanedConnection) f).connection().listener().id();
                e.connectionId = ((OrphanedConnection) f).connection().id();
            } else if (f instanceof UnmanagedListener) {
                e.inode = ((UnmanagedListener) f).inode();
            }
            e.commit();
        }
    }
}
