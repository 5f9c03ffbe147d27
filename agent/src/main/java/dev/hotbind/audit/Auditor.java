package dev.hotbind.audit;

import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.registry.StillAccepting;
import dev.hotbind.options.AgentOptions;
import dev.hotbind.registry.ConnectionRecord;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.Registry;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Runs the orphan audit on its own daemon thread, {@code hotbind-audit}, every {@code auditInterval}.
 * Everything it needs is read here, off the application's paths: the registry's counters, the
 * threads' liveness and stacks, and the kernel's tables. Detector state is confined to this thread.
 */
public final class Auditor {
    public static final String THREAD_NAME = "hotbind-audit";

    private final Registry registry;
    private final KernelView kernel;
    private final TcpTables tables;
    /** The audit's settings and detectors, replaced as a whole when a repeat attach changes them. */
    private volatile long intervalNanos;
    private AcceptThreadDetector acceptThreads;
    private ListenerDetector listeners;
    private ConnectionDetector connections;
    private UnmanagedDetector unmanaged;
    private SaturationDetector saturation;
    /** Paces reading the whole TCP table, which CLOSE_WAIT needs; listeners alone are cheap to read. */
    private CostBudget fullTable;
    /** Younger connections need no full read: the budget's own gap delays a first sight of CLOSE_WAIT as much. */
    private long fullTableMinAgeMillis;
    /** Options a repeat attach gave, taken up by the audit thread before its next audit. */
    private volatile AgentOptions reconfigured;
    private volatile Thread thread;
    private final Set<String> announced = new HashSet<>();
    private volatile Consumer<Finding> newFindings = f -> { };
    private volatile AuditReport report = AuditReport.NONE;
    private volatile Map<Long, String> unreachedAtAttach = Map.of();
    private volatile Runnable beforeEachAudit = () -> { };
    private boolean failureReported;

    Auditor(Registry registry, KernelView kernel, AgentOptions options) {
        this.registry = registry;
        this.kernel = kernel;
        this.tables = new TcpTables(kernel);
        configure(options);
    }

    /**
     * Takes new audit settings at the next audit. The detectors start afresh with them (their clocks
     * restart), so a finding stays announced once, as long as it lasts.
     */
    public void reconfigure(AgentOptions before, AgentOptions after) {
        if (before.auditInterval().equals(after.auditInterval())
                && before.acceptStallThreshold().equals(after.acceptStallThreshold())
                && before.closeWaitThreshold().equals(after.closeWaitThreshold())
                && before.spinThreshold() == after.spinThreshold()) {
            return;
        }
        reconfigured = after;
        Thread auditing = thread;
        if (auditing != null) {
            LockSupport.unpark(auditing);
        }
    }

    private void configure(AgentOptions options) {
        long intervalMillis = options.auditInterval().toMillis();
        this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(intervalMillis);
        this.acceptThreads = new AcceptThreadDetector(options.spinThreshold(), intervalMillis);
        this.listeners = new ListenerDetector(options.acceptStallThreshold().toMillis(), kernel);
        long closeWaitMillis = options.closeWaitThreshold().toMillis();
        this.connections = new ConnectionDetector(closeWaitMillis);
        this.unmanaged = new UnmanagedDetector(kernel, intervalMillis);
        this.saturation = new SaturationDetector(kernel, intervalMillis);
        // Reading the whole table costs ~1.5 s of CPU at 50,000 sockets (TIME_WAIT of a busy server):
        // let the budget space it out to ten thresholds, and never read it at start-up.
        this.fullTable = new CostBudget(closeWaitMillis / 2, closeWaitMillis * 10);
        this.fullTableMinAgeMillis = closeWaitMillis / 2;
    }

    public static Auditor start(Registry registry, AgentOptions options) {
        Auditor auditor = new Auditor(registry, KernelView.detect(), options);
        Thread thread = new Thread(auditor::run, THREAD_NAME);
        thread.setDaemon(true);
        auditor.thread = thread;
        thread.start();
        return auditor;
    }

    /** Told of each finding the first time it appears (again if it went away and came back). */
    public void onNewFinding(Consumer<Finding> consumer) {
        newFindings = consumer;
    }

    /** Why the attach discovery could not reach each listening socket it found no object for, by inode. */
    public void unreachedAtAttach(Map<Long, String> reasons) {
        unreachedAtAttach = Map.copyOf(reasons);
    }

    /** Work for the audit thread, off the application's paths, before each audit reads the registry. */
    public void beforeEachAudit(Runnable work) {
        beforeEachAudit = work;
    }

    public AuditReport report() {
        return report;
    }

    public KernelView kernel() {
        return kernel;
    }

    private void run() {
        while (true) {
            LockSupport.parkNanos(this, intervalNanos);
            AgentOptions next = reconfigured;
            if (next != null) {
                reconfigured = null;
                configure(next);
                continue; // a full interval of the new settings before the next audit
            }
            try {
                beforeEachAudit.run();
                report = audit(report.number() + 1, System.currentTimeMillis());
                announce(report);
            } catch (Throwable t) {
                if (!failureReported) {
                    failureReported = true;
                    System.err.println("hotbind: orphan audit failed, will retry every interval: " + t);
                }
            }
        }
    }

    AuditReport audit(long number, long now) {
        List<ListenerRecord> live = registry.listeners();
        for (ListenerRecord l : live) {
            l.pruneDiscovered(StillAccepting::test);
        }
        List<ConnectionRecord> open = registry.connections();
        BitSet knownFds = new BitSet();
        boolean anyOld = false;
        for (ConnectionRecord c : open) {
            c.keepPeer();
            if (c.fd() >= 0) {
                knownFds.set(c.fd());
            }
            anyOld |= now - c.acceptedAtMillis() >= fullTableMinAgeMillis; // accepted before the attach: 0, old
        }
        Map<Long, Long> inodes = new HashMap<>();
        addInodes(live, inodes, knownFds);
        // a server churning short connections never needs the whole table: none of them lives long enough
        boolean full = anyOld && fullTable.due(now);
        long begun = CostBudget.begin();
        List<KernelSocket> rows = tables.rows(full, inodes.keySet(), now);
        if (full) {
            fullTable.spent(now, begun);
        }
        // a listener bound while the table was read is in it, but not in the snapshot taken before: without
        // a second look it read as unmanaged for one audit (seen: the JDK's JMX connector started just then)
        addInodes(registry.listeners(), inodes, knownFds);
        Map<Long, KernelSocket> listening = new HashMap<>();
        List<KernelSocket> closeWait = rows != null && full ? new ArrayList<>() : null;
        if (rows != null) {
            for (KernelSocket k : rows) {
                if (k.listening()) {
                    listening.put(k.inode(), k);
                } else {
                    closeWait.add(k);
                }
            }
        }
        Map<Long, KernelSocket> byListener = new HashMap<>();
        for (Map.Entry<Long, Long> e : inodes.entrySet()) {
            KernelSocket k = listening.get(e.getKey());
            if (k != null) {
                byListener.put(e.getValue(), k);
            }
        }
        List<UnmanagedListener> unseen = unmanaged.detect(listening, inodes.keySet(), knownFds, unreachedAtAttach, now);
        Set<Long> ours = new HashSet<>(inodes.keySet());
        for (UnmanagedListener u : unseen) {
            ours.add(u.inode());
        }
        tables.held(ours);
        ListenCounters counters = kernel.available() ? ListenCounters.read() : ListenCounters.UNKNOWN;
        return new AuditReport(number, now, acceptThreads.detect(registry.knownListeners(), now),
                listeners.detect(live, byListener, now),
                connections.detect(open, registry.collectedConnections(), closeWait, kernel.available(), now),
                unseen, byListener, saturation.detect(live, byListener, counters, now), counters);
    }

    /** Each listener's socket inode to its id, for those not in {@code inodes} yet; their fds are known. */
    private void addInodes(List<ListenerRecord> listeners, Map<Long, Long> inodes, BitSet knownFds) {
        for (ListenerRecord l : listeners) {
            int fd = l.fd();
            if (fd < 0 || inodes.containsValue(l.id())) {
                continue;
            }
            long inode = kernel.inodeOf(fd);
            if (inode >= 0) {
                knownFds.set(fd);
                inodes.put(inode, l.id());
            }
        }
    }

    private void announce(AuditReport current) {
        Set<String> keys = new HashSet<>();
        for (Finding f : current.all()) {
            keys.add(f.key());
            if (announced.add(f.key())) {
                if (f instanceof SaturatedListener) {
                    ListenerEvents.saturated((SaturatedListener) f);
                } else {
                    ListenerEvents.orphan(f);
                }
                newFindings.accept(f);
            }
        }
        announced.retainAll(keys);
    }
}
