package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * Same-address {@code rebind()} under connection churn, called over JMX as an operator would, in the
 * network namespace this JVM runs in ({@link Namespaces} picks it); then, with the load stopped (a
 * moved or unbound port refuses the clients by design), {@code rebindTo} there and back and
 * {@code unbind()}/{@code rebind()} pairs, for their own latencies.
 */
final class RebindBench {
    static final int CHURN_THREADS = 8;
    static final long PAUSE_BETWEEN_REBINDS_MILLIS = 10;
    /** rebindTo calls (alternately away and home), and unbind/rebind pairs. */
    static final int MOVES = 50;
    private static final int WARMUP_REBINDS = 10;
    private static final int MAX_ABSENT = 1_000;
    private static final String[] NONE = new String[0];

    private RebindBench() {
    }

    /** The accept models of the bench server, in the order the models table prints them. */
    static final List<String> MODELS = List.of("socket", "channel", "selector", "virtual");
    /** The first JDK with virtual threads, which the {@code virtual} model needs. */
    private static final int VIRTUAL_THREADS_SINCE = 21;

    /**
     * The server a run measures: the bench server's accept model, and how the agent comes in: on the
     * command line, or attached by the CLI to the server once it is up and idle (no connection before).
     */
    record Target(String model, boolean attach) {
        static final Target PART_4 = new Target("socket", false);

        String agent() {
            return attach ? "attach" : "-javaagent";
        }

        ServerJvm start(Setup setup) throws IOException, InterruptedException {
            if (!attach) {
                return ServerJvm.start("rebind", setup, setup.agentJar(), "", 0, model);
            }
            ServerJvm server = ServerJvm.start("rebind", setup, null, "", 0, model);
            try {
                server.attachAgent(setup);
                return server;
            } catch (IOException | InterruptedException | RuntimeException e) {
                server.close();
                throw e;
            }
        }
    }

    /** Part 4: the blocking ServerSocket with -javaagent, same-address rebinds, then moves and resumes. */
    static RebindRun measure(Setup setup, int migrate, String where) throws IOException, InterruptedException {
        return measure(setup, migrate, where, Target.PART_4, true);
    }

    /**
     * Issue 10 item 1: the same-address rebinds (no moves) on every accept model, with -javaagent and by
     * attach; the virtual model is skipped, and said why, on a server JDK without virtual threads.
     */
    static List<RebindRun> models(Setup setup, int migrate, String where) throws InterruptedException {
        List<RebindRun> runs = new ArrayList<>();
        int feature = setup.serverFeature();
        for (String model : MODELS) {
            for (boolean attach : new boolean[] {false, true}) {
                Target target = new Target(model, attach);
                if (model.equals("virtual") && feature < VIRTUAL_THREADS_SINCE) {
                    runs.add(RebindRun.failed(migrate, where, "skipped: virtual threads need JDK "
                            + VIRTUAL_THREADS_SINCE + "+, the server JDK is " + feature, target));
                    continue;
                }
                Report.progress("same-port rebinds under churn: accept model " + model + ", " + target.agent()
                        + ", tcp_migrate_req=" + migrate);
                try {
                    runs.add(measure(setup, migrate, where, target, false));
                } catch (IOException | RuntimeException e) {
                    runs.add(RebindRun.failed(migrate, where, e.toString(), target));
                }
            }
        }
        return runs;
    }

    private static RebindRun measure(Setup setup, int migrate, String where, Target target, boolean moves)
            throws IOException, InterruptedException {
        try (ServerJvm server = target.start(setup)) {
            MBeanServerConnection jmx = server.jmx();
            ObjectName listener = server.listenerMBean();
            if (!hasOperation(jmx, listener, "rebind")) {
                return RebindRun.failed(migrate, where, "this agent build has no rebind() operation on its "
                        + "Listener MBean (issue 3 not merged)", target);
            }
            Load load = Load.start(Load.Kind.CHURN, server.port(), CHURN_THREADS);
            Operator operator = new Operator(server, jmx, listener, target);
            Load.Counts counts;
            long acceptFailures;
            try {
                Thread.sleep(setup.warmup().toMillis());
                for (int i = 0; i < WARMUP_REBINDS; i++) {
                    operator.rebind();
                }
                operator.clear();
                long failuresBefore = server.stats().acceptFailures();
                load.clearCounts();
                for (int i = 0; i < setup.rebinds(); i++) {
                    operator.readAttribute();
                    operator.rebind();
                    Thread.sleep(PAUSE_BETWEEN_REBINDS_MILLIS);
                }
                Thread.sleep(PAUSE_BETWEEN_REBINDS_MILLIS * 10);
                counts = load.stop();
                acceptFailures = server.stats().acceptFailures() - failuresBefore;
            } catch (Exception e) {
                counts = load.stop();
                return operator.result(migrate, where, counts, 0,
                        "rebind " + (operator.jmxMicros.size() + 1) + " failed: " + e);
            }
            if (!moves) {
                return operator.result(migrate, where, counts, acceptFailures, null);
            }
            try {
                operator.movesAndResumes(freePort());
                return operator.result(migrate, where, counts, acceptFailures, null);
            } catch (Exception e) {
                return operator.result(migrate, where, counts, acceptFailures,
                        "after the same-address rebinds, rebindTo or unbind/rebind failed: " + e);
            }
        }
    }

    /** Calls the listener's operations over JMX as an operator would, timing each call. */
    private static final class Operator {
        private final MBeanServerConnection jmx;
        private final ServerJvm server;
        private ObjectName listener;
        /** Where the listener is now: a move changes its MBean's name. */
        private int port;
        private final List<Double> jmxMicros = new ArrayList<>();
        private final List<Double> agentMicros = new ArrayList<>();
        private final List<Double> attributeMicros = new ArrayList<>();
        private final List<Double> moveMicros = new ArrayList<>();
        private final List<Double> unbindMicros = new ArrayList<>();
        private final List<Double> resumeMicros = new ArrayList<>();
        private long mbeanAbsent;
        private final Target target;

        Operator(ServerJvm server, MBeanServerConnection jmx, ObjectName listener, Target target) {
            this.server = server;
            this.target = target;
            this.jmx = jmx;
            this.listener = listener;
            this.port = server.port();
        }

        /** One same-address rebind. */
        void rebind() throws Exception {
            agentMicros.add(call("rebind", new Object[0], NONE, jmxMicros));
        }

        /** {@link #MOVES} moves, alternately to {@code away} and home; then as many unbind/rebind pairs. */
        void movesAndResumes(int away) throws Exception {
            int home = port;
            for (int i = 0; i < MOVES; i++) {
                int to = i % 2 == 0 ? away : home;
                moveMicros.add(call("rebindTo", new Object[] {":" + to}, new String[] {String.class.getName()}, null));
                port = to;
            }
            for (int i = 0; i < MOVES; i++) {
                unbindMicros.add(call("unbind", new Object[0], NONE, null));
                resumeMicros.add(call("rebind", new Object[0], NONE, null));
            }
        }

        /**
         * One operation, answering the agent's own duration; {@code jmxTimes} gets the JMX call's. The
         * agent re-publishes a moved listener's MBean before the move answers, so a call should never find
         * the MBean absent; one that does is counted (the report shows it) and repeated on the MBean found.
         */
        private double call(String operation, Object[] args, String[] signature, List<Double> jmxTimes)
                throws Exception {
            while (true) {
                long start = System.nanoTime();
                try {
                    Object answer = jmx.invoke(listener, operation, args, signature);
                    if (jmxTimes != null) {
                        jmxTimes.add((System.nanoTime() - start) / 1e3);
                    }
                    return RebindRun.reportedMicros(answer);
                } catch (javax.management.InstanceNotFoundException republishing) {
                    if (++mbeanAbsent > MAX_ABSENT) {
                        throw republishing;
                    }
                    listener = server.listenerMBean(port);
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
                listener = server.listenerMBean(port);
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
                    acceptFailures, failure, moveMicros, unbindMicros, resumeMicros, target.model(), target.agent());
        }
    }

    /** A loopback port free now, for the moves. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
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
