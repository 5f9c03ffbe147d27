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
 * across the whole chain. Runs in the same namespace child as the rebind half.
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
               long drainMedianMillis, long drainMaxMillis, String drainAnswer, String failure) {
        static final String LINE_PREFIX = "replacement-run ";

        static Run failed(int migrateReq, String why) {
            return new Run(migrateReq, Load.Counts.NONE, 0, 0, 0, 0, 0, "", why);
        }

        String toLine() {
            Load.Counts c = counts;
            return LINE_PREFIX + String.join("\t", Integer.toString(migrateReq), Long.toString(c.ok()),
                    Long.toString(c.refused()), Long.toString(c.reset()), Long.toString(c.dropped()),
                    Long.toString(c.timedOut()), Long.toString(c.other()), clean(c.firstOther()),
                    Integer.toString(handovers), Long.toString(acceptedAfterDrain), Long.toString(lastServed),
                    Long.toString(drainMedianMillis), Long.toString(drainMaxMillis), clean(drainAnswer),
                    clean(failure), Long.toString(c.delayed()));
        }

        static Run parse(String line) {
            String[] f = line.substring(LINE_PREFIX.length()).split("\t", -1);
            Load.Counts counts = new Load.Counts(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[15]),
                    f[7].isEmpty() ? null : f[7]);
            return new Run(Integer.parseInt(f[0]), counts, Integer.parseInt(f[8]), Long.parseLong(f[9]),
                    Long.parseLong(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12]), f[13],
                    f[14].isEmpty() ? null : f[14]);
        }

        private static String clean(String text) {
            return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ');
        }
    }

    private ReplacementBench() {
    }

    /** 20 handovers (3 with {@code --quick}) under one uninterrupted churn. */
    static Run measure(Setup setup, int migrate) throws IOException, InterruptedException {
        int handovers = setup.quick() ? 3 : 20;
        ServerJvm current = ServerJvm.start("jvm-0", setup, setup.agentJar(), AGENT_OPTIONS, 0);
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
                ServerJvm next = ServerJvm.start("jvm-" + i, setup, setup.agentJar(), AGENT_OPTIONS, port);
                try (ServerJvm old = current) {
                    current = next;
                    Thread.sleep(SHARED_MILLIS);
                    MBeanServerConnection jmx = old.jmx();
                    ObjectName listener = old.listenerMBean();
                    long start = System.nanoTime();
                    CompositeData drained = (CompositeData) jmx.invoke(listener, "drain",
                            new Object[] {DRAIN_TIMEOUT_MILLIS}, new String[] {Long.class.getName()});
                    answer = ((String) drained.get("summary")).replace("\n", "; ");
                    drainMillis.add((System.nanoTime() - start) / 1e6);
                    long acceptedWhenDrained = accepted(jmx, listener);
                    Thread.sleep(AFTER_DRAIN_MILLIS);
                    acceptedAfterDrain += accepted(jmx, listener) - acceptedWhenDrained;
                }
                done = i;
            }
            Load.Counts counts = load.stop();
            long served = accepted(current.jmx(), current.listenerMBean());
            return new Run(migrate, counts, done, acceptedAfterDrain, served, Math.round(Stats.median(drainMillis)),
                    Math.round(drainMillis.stream().mapToDouble(Double::doubleValue).max().orElse(0)), answer, null);
        } catch (IOException | javax.management.JMException | RuntimeException e) {
            load.stop();
            return Run.failed(migrate, "handover " + (done + 1) + " of " + handovers + " failed: " + e);
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
