package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * Same-address {@code rebind()} under connection churn, called over JMX as an operator would, in the
 * network namespace this JVM runs in ({@link Namespaces} picks it).
 */
final class RebindBench {
    private static final int CHURN_THREADS = 2;
    private static final int WARMUP_REBINDS = 10;
    private static final long PAUSE_BETWEEN_REBINDS_MILLIS = 10;
    private static final int MAX_ABSENT = 1_000;

    private RebindBench() {
    }

    static RebindRun measure(Setup setup, int migrate, String where) throws IOException, InterruptedException {
        try (ServerJvm server = ServerJvm.start("rebind", setup, setup.agentJar(), "", 0)) {
            MBeanServerConnection jmx = server.jmx();
            ObjectName listener = server.listenerMBean();
            if (!hasOperation(jmx, listener, "rebind")) {
                return RebindRun.failed(migrate, where, "this agent build has no rebind() operation on its "
                        + "Listener MBean (issue 3 not merged)");
            }
            Load load = Load.start(Load.Kind.CHURN, server.port(), CHURN_THREADS);
            Rebinder rebinder = new Rebinder(server, jmx, listener);
            try {
                Thread.sleep(setup.warmup().toMillis());
                for (int i = 0; i < WARMUP_REBINDS; i++) {
                    rebinder.rebind();
                }
                rebinder.clear();
                long failuresBefore = server.stats().acceptFailures();
                load.clearCounts();
                for (int i = 0; i < setup.rebinds(); i++) {
                    rebinder.readAttribute();
                    rebinder.rebind();
                    Thread.sleep(PAUSE_BETWEEN_REBINDS_MILLIS);
                }
                Thread.sleep(PAUSE_BETWEEN_REBINDS_MILLIS * 10);
                Load.Counts counts = load.stop();
                long acceptFailures = server.stats().acceptFailures() - failuresBefore;
                return rebinder.result(migrate, where, counts, acceptFailures, null);
            } catch (Exception e) {
                Load.Counts counts = load.stop();
                return rebinder.result(migrate, where, counts, 0,
                        "rebind " + (rebinder.jmxMicros.size() + 1) + " failed: " + e);
            }
        }
    }

    /** Calls rebind() over JMX as an operator would, timing each call. */
    private static final class Rebinder {
        private final MBeanServerConnection jmx;
        private final ServerJvm server;
        private ObjectName listener;
        private final List<Double> jmxMicros = new ArrayList<>();
        private final List<Double> agentMicros = new ArrayList<>();
        private final List<Double> attributeMicros = new ArrayList<>();
        private long mbeanAbsent;

        Rebinder(ServerJvm server, MBeanServerConnection jmx, ObjectName listener) {
            this.server = server;
            this.jmx = jmx;
            this.listener = listener;
        }

        /**
         * One rebind. The agent re-publishes a listener's MBean after each operation; a call landing in
         * that moment finds no MBean, is counted, and is repeated on the MBean once it is back.
         */
        void rebind() throws Exception {
            while (true) {
                long start = System.nanoTime();
                try {
                    String answer = String.valueOf(jmx.invoke(listener, "rebind", new Object[0], new String[0]));
                    jmxMicros.add((System.nanoTime() - start) / 1e3);
                    agentMicros.add(RebindRun.reportedMicros(answer));
                    return;
                } catch (javax.management.InstanceNotFoundException republishing) {
                    if (++mbeanAbsent > MAX_ABSENT) {
                        throw republishing;
                    }
                    listener = server.listenerMBean();
                }
            }
        }

        /** A plain attribute read, for the scale of a JMX round trip on this machine now. */
        void readAttribute() throws Exception {
            long start = System.nanoTime();
            try {
                jmx.getAttribute(listener, "State");
                attributeMicros.add((System.nanoTime() - start) / 1e3);
            } catch (javax.management.InstanceNotFoundException republishing) {
                mbeanAbsent++;
                listener = server.listenerMBean();
            }
        }

        void clear() {
            jmxMicros.clear();
            agentMicros.clear();
            attributeMicros.clear();
            mbeanAbsent = 0;
        }

        RebindRun result(int migrate, String where, Load.Counts counts, long acceptFailures, String failure) {
            return new RebindRun(migrate, where, jmxMicros, agentMicros, attributeMicros, mbeanAbsent, counts,
                    acceptFailures, failure);
        }
    }

    private static boolean hasOperation(MBeanServerConnection jmx, ObjectName name, String operation)
            throws IOException {
        try {
            for (MBeanOperationInfo op : jmx.getMBeanInfo(name).getOperations()) {
                if (op.getName().equals(operation)) {
                    return true;
                }
            }
            return false;
        } catch (javax.management.JMException e) {
            throw new IOException("reading the operations of " + name + ": " + e, e);
        }
    }
}
