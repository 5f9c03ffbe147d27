package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Zero-downtime replacement of one JVM by another on the same port, over and over (issue 10 item 2):
 * each server runs with {@code reuseport=true}; under connection churn that never stops, a new one binds
 * the same port with the same option, both serve a while, then the old listener is drained over JMX,
 * the old JVM exits and the new one becomes the old one for the next handover. No request may fail
 * across the whole chain. The same chain runs as a control without any agent (issue 10: a residual no
 * user-space mechanism removes is proved by a control with no agent): each server sets SO_REUSEPORT on
 * its listener itself and the old one closes its own listener, as applications hand over without
 * hotbind. Runs in the same namespace child as the rebind half.
 */
final class ReplacementBench {
    static final String AGENT_OPTIONS = "reuseport=true";
    private static final long DRAIN_TIMEOUT_MILLIS = 10_000;
    private static final long SHARED_MILLIS = 1_000;
    /** How long a drained JVM is watched for a connection it should no longer get. */
    private static final long AFTER_DRAIN_MILLIS = 300;
    private static final int CHURN_THREADS = 2;

    /**
     * What a chain of handovers did; {@code acceptedAfterDrain}: connections a drained JVM accepted after
     * its drain returned (must be 0); {@code failure} says why it could not be measured.
     */
    record Run(int migrateReq, Load.Counts counts, int handovers, long acceptedAfterDrain, long lastServed,
               long drainMedianMillis, long drainMaxMillis, String drainAnswer, String failure, Handover handover) {
        static final String LINE_PREFIX = "replacement-run ";

        static Run failed(int migrateReq, String why, Handover handover) {
            return new Run(migrateReq, Load.Counts.NONE, 0, 0, 0, 0, 0, "", why, handover);
        }

        String toLine() {
            Load.Counts c = counts;
            return LINE_PREFIX + String.join("\t", Integer.toString(migrateReq), Long.toString(c.ok()),
                    Long.toString(c.refused()), Long.toString(c.reset()), Long.toString(c.dropped()),
                    Long.toString(c.timedOut()), Long.toString(c.other()), clean(c.firstOther()),
                    Integer.toString(handovers), Long.toString(acceptedAfterDrain), Long.toString(lastServed),
                    Long.toString(drainMedianMillis), Long.toString(drainMaxMillis), clean(drainAnswer),
                    clean(failure), Long.toString(c.delayed()), handover.name());
        }

        static Run parse(String line) {
            String[] f = line.substring(LINE_PREFIX.length()).split("\t", -1);
            Load.Counts counts = new Load.Counts(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[15]),
                    f[7].isEmpty() ? null : f[7]);
            return new Run(Integer.parseInt(f[0]), counts, Integer.parseInt(f[8]), Long.parseLong(f[9]),
                    Long.parseLong(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12]), f[13],
                    f[14].isEmpty() ? null : f[14], Handover.valueOf(f[16]));
        }

        private static String clean(String text) {
            return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ');
        }
    }

    /** How one server JVM takes the port over from another, and how its accepted connections are counted. */
    enum Handover {
        /** With the agent ({@code reuseport=true}): the old listener is drain()ed over JMX; the agent counts. */
        HOTBIND("hotbind (" + AGENT_OPTIONS + ", drain())") {
            @Override
            ServerJvm start(String label, Setup setup, int port) throws IOException, InterruptedException {
                return ServerJvm.start(label, setup, setup.agentJar(), AGENT_OPTIONS, port);
            }

            @Override
            Accepted accepted(ServerJvm jvm) throws IOException, InterruptedException {
                MBeanServerConnection jmx = jvm.jmx();
                ObjectName listener = jvm.listenerMBean();
                return () -> ReplacementBench.accepted(jmx, listener);
            }

            @Override
            String retire(ServerJvm old) throws IOException, InterruptedException {
                try {
                    CompositeData drained = (CompositeData) old.jmx().invoke(old.listenerMBean(), "drain",
                            new Object[] {DRAIN_TIMEOUT_MILLIS}, new String[] {Long.class.getName()});
                    return ((String) drained.get("summary")).replace("\n", "; ");
                } catch (javax.management.JMException e) {
                    throw new IOException("drain() of the " + old.label() + " JVM: " + e, e);
                }
            }
        },
        /**
         * No agent at all: the application sets SO_REUSEPORT on its listener itself, and the old one closes
         * its listener and finishes its connections; the application counts.
         */
        APPLICATION("no agent (application closes its listener)") {
            @Override
            ServerJvm start(String label, Setup setup, int port) throws IOException, InterruptedException {
                return ServerJvm.start(label, setup, null, "", port, "socket", true);
            }

            @Override
            Accepted accepted(ServerJvm jvm) {
                return jvm::accepted;
            }

            @Override
            String retire(ServerJvm old) throws IOException, InterruptedException {
                return old.closeListener();
            }
        };

        final String title;

        Handover(String title) {
            this.title = title;
        }

        abstract ServerJvm start(String label, Setup setup, int port) throws IOException, InterruptedException;

        /** Reads how many connections {@code jvm} accepted so far (resolved once, read before and after its retirement). */
        abstract Accepted accepted(ServerJvm jvm) throws IOException, InterruptedException;

        /** Makes {@code old} stop taking connections and finish those it has; what it answered. */
        abstract String retire(ServerJvm old) throws IOException, InterruptedException;
    }

    /** A server's accepted-connections count, read on demand. */
    interface Accepted {
        long read() throws IOException, InterruptedException;
    }

    private ReplacementBench() {
    }

    /** 20 handovers (3 with {@code --quick}) under one uninterrupted churn. */
    static Run measure(Setup setup, int migrate, Handover handover) throws IOException, InterruptedException {
        int handovers = setup.quick() ? 3 : 20;
        ServerJvm current = handover.start("jvm-0", setup, 0);
        int port = current.port();
        Load load = Load.start(Load.Kind.CHURN, port, CHURN_THREADS);
        List<Double> drainMillis = new ArrayList<>();
        long acceptedAfterDrain = 0;
        String answer = "";
        int done = 0;
        try {
            Thread.sleep(setup.warmup().toMillis());
            load.clearCounts();
            for (int i = 1; i <= handovers; i++) {
                ServerJvm next = handover.start("jvm-" + i, setup, port);
                try (ServerJvm old = current) {
                    current = next;
                    Thread.sleep(SHARED_MILLIS);
                    Accepted accepted = handover.accepted(old);
                    long start = System.nanoTime();
                    answer = handover.retire(old);
                    drainMillis.add((System.nanoTime() - start) / 1e6);
                    long acceptedWhenDrained = accepted.read();
                    Thread.sleep(AFTER_DRAIN_MILLIS);
                    acceptedAfterDrain += accepted.read() - acceptedWhenDrained;
                }
                done = i;
            }
            Load.Counts counts = load.stop();
            long served = handover.accepted(current).read();
            return new Run(migrate, counts, done, acceptedAfterDrain, served, Math.round(Stats.median(drainMillis)),
                    Math.round(drainMillis.stream().mapToDouble(Double::doubleValue).max().orElse(0)), answer, null,
                    handover);
        } catch (IOException | RuntimeException e) {
            load.stop();
            return Run.failed(migrate, "handover " + (done + 1) + " of " + handovers + " failed: " + e, handover);
        } finally {
            current.close();
        }
    }

    private static long accepted(MBeanServerConnection jmx, ObjectName listener) throws IOException {
        try {
            return ((Number) jmx.getAttribute(listener, "AcceptedCount")).longValue();
        } catch (javax.management.JMException e) {
            throw new IOException("reading AcceptedCount of " + listener + ": " + e, e);
        }
    }
}
