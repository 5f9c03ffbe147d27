package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.io.IOException;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * Zero-downtime replacement of one JVM by another on the same port (issue 5): the old server runs with
 * {@code reuseport=true}; under connection churn a new one binds the same port with the same option,
 * both serve a while, then the old listener is drained over JMX and traffic must move to the new one
 * with no failed request. Runs in the same namespace child as the rebind half.
 */
final class ReplacementBench {
    static final String AGENT_OPTIONS = "reuseport=true";
    private static final long DRAIN_TIMEOUT_MILLIS = 10_000;
    private static final long SHARED_MILLIS = 1_000;
    private static final long AFTER_DRAIN_MILLIS = 1_000;
    private static final int CHURN_THREADS = 2;

    /** What a handover did; {@code failure} says why it could not be measured. */
    record Run(int migrateReq, Load.Counts counts, long oldBeforeDrain, long oldAfterDrain, long newServed,
               long drainMillis, String drainAnswer, String failure) {
        static final String LINE_PREFIX = "replacement-run ";

        static Run failed(int migrateReq, String why) {
            return new Run(migrateReq, Load.Counts.NONE, 0, 0, 0, 0, "", why);
        }

        String toLine() {
            Load.Counts c = counts;
            return LINE_PREFIX + String.join("\t", Integer.toString(migrateReq), Long.toString(c.ok()),
                    Long.toString(c.refused()), Long.toString(c.reset()), Long.toString(c.dropped()),
                    Long.toString(c.timedOut()), Long.toString(c.other()), clean(c.firstOther()),
                    Long.toString(oldBeforeDrain), Long.toString(oldAfterDrain), Long.toString(newServed),
                    Long.toString(drainMillis), clean(drainAnswer), clean(failure), Long.toString(c.delayed()));
        }

        static Run parse(String line) {
            String[] f = line.substring(LINE_PREFIX.length()).split("\t", -1);
            Load.Counts counts = new Load.Counts(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Long.parseLong(f[14]),
                    f[7].isEmpty() ? null : f[7]);
            return new Run(Integer.parseInt(f[0]), counts, Long.parseLong(f[8]), Long.parseLong(f[9]),
                    Long.parseLong(f[10]), Long.parseLong(f[11]), f[12], f[13].isEmpty() ? null : f[13]);
        }

        private static String clean(String text) {
            return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ');
        }
    }

    private ReplacementBench() {
    }

    /** Whether this agent build has drain() (and, landed with it, the reuseport option). */
    private static boolean available(MBeanServerConnection jmx, ObjectName listener) throws IOException {
        try {
            for (MBeanOperationInfo op : jmx.getMBeanInfo(listener).getOperations()) {
                if (op.getName().equals("drain")) {
                    return true;
                }
            }
            return false;
        } catch (javax.management.JMException e) {
            throw new IOException("reading the operations of " + listener + ": " + e, e);
        }
    }

    static Run measure(Setup setup, int migrate) throws IOException, InterruptedException {
        try (ServerJvm old = ServerJvm.start("old", setup, setup.agentJar(), AGENT_OPTIONS, 0)) {
            MBeanServerConnection oldJmx = old.jmx();
            ObjectName oldListener = old.listenerMBean();
            if (!available(oldJmx, oldListener)) {
                return Run.failed(migrate, "this agent build has no drain() operation (issue 5 not merged)");
            }
            Load load = Load.start(Load.Kind.CHURN, old.port(), CHURN_THREADS);
            try (ServerJvm replacement = ServerJvm.start("new", setup, setup.agentJar(), AGENT_OPTIONS, old.port())) {
                Thread.sleep(setup.warmup().toMillis());
                load.clearCounts();
                Thread.sleep(SHARED_MILLIS);
                long before = accepted(oldJmx, oldListener);
                long start = System.nanoTime();
                CompositeData drained = (CompositeData) oldJmx.invoke(oldListener, "drain",
                        new Object[] {DRAIN_TIMEOUT_MILLIS}, new String[] {Long.class.getName()});
                String answer = ((String) drained.get("summary")).replace("\n", "; ");
                long drainMillis = (System.nanoTime() - start) / 1_000_000;
                Thread.sleep(AFTER_DRAIN_MILLIS);
                Load.Counts counts = load.stop();
                long after = accepted(oldJmx, oldListener);
                MBeanServerConnection newJmx = replacement.jmx();
                long served = accepted(newJmx, replacement.listenerMBean());
                return new Run(migrate, counts, before, after, served, drainMillis, answer, null);
            } catch (IOException | javax.management.JMException | RuntimeException e) {
                load.stop();
                return Run.failed(migrate, "handover failed: " + e);
            }
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
