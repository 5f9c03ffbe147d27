package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;

/**
 * The stress command: churn on the agent's bench server while K operators, each on a JMX connection of
 * its own, call the listener's operations in random order for a bounded time. Reports per operation
 * kind the calls, expected refusals (another operation holds the listener, or a drain runs), unexpected
 * failures by exception and message, latencies, and calls still running after a time limit (deadlock
 * suspects, with the server's thread dump); churn outcomes by kind; the server's resources at intervals.
 */
final class StressBench {
    static final int CHURN_THREADS = 2;
    private static final long DRAIN_TIMEOUT_MILLIS = 200;
    static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);
    /** Longer than the RMI client's 15 s idle timeout, after which the closed JMX clients' connections end. */
    static final Duration SETTLE_WITHIN = Duration.ofSeconds(30);
    /**
     * The agent's refusals that concurrent operators must expect: another operation holds the listener, or
     * another operator's drain or unbind left it in a state this one cannot start from. Nothing went wrong.
     */
    private static final List<String> EXPECTED = List.of("is in progress", "is draining", "is already draining",
            "is already unbound");
    private static final String REPUBLISHED = InstanceNotFoundException.class.getName()
            + ": the listener's MBean was being re-published (moved)";
    private static final String AGENT = "dev.hotbind:type=Agent";

    private final ServerJvm server;
    private final Setup setup;
    private final Duration stuckLimit;
    private final String listenerPattern;
    private final int home;
    private final Map<String, Kind> kinds = new ConcurrentSkipListMap<>();
    private volatile long deadline;
    private Path threadDump;

    private StressBench(ServerJvm server, Setup setup, Duration stuckLimit, String listenerId) {
        this.server = server;
        this.setup = setup;
        this.stuckLimit = stuckLimit;
        this.listenerPattern = "dev.hotbind:type=Listener,id=" + listenerId + ",*";
        this.home = server.port();
    }

    static void run(Setup setup, Duration length, int clients, Duration stuckLimit) throws Exception {
        Report.out("hotbind stress: " + length.toSeconds() + " s of churn (" + CHURN_THREADS + " loopback client threads) "
                + "under random operations from " + clients + " JMX clients; calls over " + stuckLimit.toSeconds()
                + " s count as stuck");
        Report.out("  server: " + setup.java() + " " + String.join(" ", Setup.SERVER_JVM_OPTIONS) + " -javaagent:"
                + setup.agentJar());
        try (ServerJvm server = ServerJvm.start("agent", setup, setup.agentJar(), "", 0)) {
            ObjectName listener = server.listenerMBean();
            new StressBench(server, setup, stuckLimit, listener.getKeyProperty("id"))
                    .stress(length, clients);
        }
    }

    private void stress(Duration length, int clientCount) throws Exception {
        Soak.warmUp(server);
        Resources start = Resources.sample(server);
        Report.out("  start: " + start.line());
        List<Operator> operators = new ArrayList<>();
        for (int i = 0; i < clientCount; i++) {
            operators.add(new Operator(i, server.connect()));
        }
        Load churn = Load.start(Load.Kind.CHURN, home, CHURN_THREADS);
        long begin = System.nanoTime();
        deadline = begin + length.toNanos();
        operators.forEach(Thread::start);
        long nextSample = begin + SAMPLE_EVERY.toNanos();
        while (System.nanoTime() < deadline) {
            Thread.sleep(200);
            operators.forEach(this::checkStuck);
            if (System.nanoTime() >= nextSample) {
                nextSample += SAMPLE_EVERY.toNanos();
                Report.out(Report.f("  [%3.0f s] %s; churn %,d served, %,d failed", (System.nanoTime() - begin) / 1e9,
                        Resources.sample(server).line(), churn.counts().ok(), churn.counts().failed()));
            }
        }
        for (Operator o : operators) {
            // one still stuck past the limit after the end is reported as such, not waited for
            o.join(stuckLimit.toMillis() + 1_000);
            checkStuck(o);
        }
        // a server with a stuck call may not answer the next one either: then nothing more is asked of it
        long stuck = kinds.values().stream().mapToLong(k -> k.stuck).sum();
        String restored = stuck == 0 ? restoreHome() : null;
        Load.Counts counts = churn.stop();
        for (Operator o : operators) {
            o.close();
        }
        report(counts, restored, start);
    }

    /** Counts a call running past the limit once, and keeps the server's thread dump of the first. */
    private void checkStuck(Operator o) {
        String operation = o.current;
        long since = o.since;
        if (operation != null && !o.flagged && System.nanoTime() - since > stuckLimit.toNanos()) {
            o.flagged = true;
            kind(operation).stuck++;
            Report.out("  STUCK: client " + o.number + " in " + operation + " for over " + stuckLimit.toSeconds()
                    + " s (deadlock suspect)" + dumpThreadsOnce());
        }
    }

    private synchronized String dumpThreadsOnce() {
        if (threadDump == null) {
            try {
                threadDump = Files.createTempFile("hotbind-stress-threads-", ".txt");
                Path jcmd = setup.java().resolveSibling("jcmd");
                Process p = new ProcessBuilder(jcmd.toString(), Long.toString(server.pid()), "Thread.print", "-l")
                        .redirectErrorStream(true).redirectOutput(threadDump.toFile()).start();
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                return "; no thread dump: " + e;
            }
        }
        return "; server thread dump in " + threadDump;
    }

    /** After the run the listener serves on its first port again, whatever the last operations left. */
    private String restoreHome() throws Exception {
        MBeanServerConnection jmx = server.jmx();
        ObjectName listener = locate(jmx);
        String state = String.valueOf(jmx.getAttribute(listener, "State"));
        int port = (Integer) jmx.getAttribute(listener, "LocalPort");
        if (port != home) {
            jmx.invoke(listener, "rebindTo", new Object[] {":" + home}, new String[] {String.class.getName()});
        } else if (!state.equals("BOUND")) {
            jmx.invoke(listener, "rebind", new Object[0], new String[0]);
        }
        ObjectName now = locate(jmx);
        return "left " + state + " on port " + port + "; now " + jmx.getAttribute(now, "State") + " on port "
                + jmx.getAttribute(now, "LocalPort");
    }

    /** {@code restored}: null when the listener was left as it was (calls are stuck). */
    private void report(Load.Counts counts, String restored, Resources start) throws Exception {
        Report.out("");
        Report.out(Report.f("  %-26s %7s %7s %9s %10s %10s %10s %10s %6s", "JMX operation", "calls", "ok",
                "refused*", "failed", "median", "p99", "max", "stuck"));
        for (Map.Entry<String, Kind> e : kinds.entrySet()) {
            Kind k = e.getValue();
            Report.out(Report.f("  %-26s %7d %7d %9d %10d %10s %10s %10s %6d", e.getKey(), k.micros.size(), k.ok,
                    k.refused, k.failed, millis(Stats.median(k.micros)), millis(Stats.percentile(k.micros, 99)),
                    millis(Stats.percentile(k.micros, 100)), k.stuck));
        }
        Report.out("  * refused as expected: another operation in progress, another operator's drain or unbind came");
        Report.out("    first, or the listener's MBean was re-published (moved) between looking it up and calling it");
        kinds.forEach((name, k) -> k.failures.forEach((why, n) -> Report.out(Report.f("  %s %s: %d x %s",
                k.isExpected(why) ? "refused" : "FAILED", name, n, why))));
        Report.out("  churn: " + Report.churn(counts));
        Report.out("    (refused is expected while the listener is unbound, draining or moved away; resets are counted, not judged)");
        Report.out("  accept exceptions in the application: " + server.stats().acceptFailures());
        long stuck = kinds.values().stream().mapToLong(k -> k.stuck).sum();
        if (restored != null) {
            Report.out("  listener after the run: " + restored);
            Report.out("  end:   " + Resources.settled(server, start, SETTLE_WITHIN).against(start));
        } else {
            Report.out("  listener and resources not read after the run: the server has stuck calls");
        }
        long failed = kinds.values().stream().mapToLong(k -> k.failed).sum();
        Report.out("  verdict: " + (stuck == 0 && failed == 0 ? "no unexpected failure, no stuck call"
                : failed + " unexpected failures, " + stuck + " stuck calls"));
    }

    private static String millis(double micros) {
        return Double.isNaN(micros) ? "-" : Report.f("%.2f ms", micros / 1e3);
    }

    private synchronized Kind kind(String name) {
        return kinds.computeIfAbsent(name, n -> new Kind());
    }

    /** The listener's MBean wherever it is now: its name carries the port, which a move changes. */
    private ObjectName locate(MBeanServerConnection jmx) throws IOException, InstanceNotFoundException {
        try {
            for (ObjectName name : jmx.queryNames(new ObjectName(listenerPattern), null)) {
                return name;
            }
        } catch (javax.management.MalformedObjectNameException e) {
            throw new IllegalStateException(e);
        }
        throw new InstanceNotFoundException(listenerPattern + " (being re-published)");
    }

    /** One operation kind's record, shared by all operators. */
    private static final class Kind {
        final List<Double> micros = new ArrayList<>();
        final Map<String, Integer> failures = new ConcurrentHashMap<>();
        long ok;
        long refused;
        long failed;
        long stuck;

        synchronized void done(double tookMicros, Throwable failure) {
            micros.add(tookMicros);
            if (failure == null) {
                ok++;
                return;
            }
            String why = describe(failure);
            failures.merge(why, 1, Integer::sum);
            if (isExpected(why)) {
                refused++;
            } else {
                failed++;
            }
        }

        boolean isExpected(String why) {
            return why.equals(REPUBLISHED) || EXPECTED.stream().anyMatch(why::contains);
        }

        /** The innermost cause's class and first message line, with numbers blanked so alike failures group. */
        private static String describe(Throwable failure) {
            if (failure instanceof InstanceNotFoundException) {
                return REPUBLISHED;
            }
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String message = String.valueOf(root.getMessage()).lines().findFirst().orElse("");
            return root.getClass().getName() + ": " + message.replaceAll("\\d+(\\.\\d+)*", "N");
        }
    }

    /** Calls the listener's operations at random on its own JMX connection until the deadline. */
    private final class Operator extends Thread {
        final int number;
        private final JMXConnector connector;
        private final MBeanServerConnection jmx;
        volatile String current;
        volatile long since;
        volatile boolean flagged;

        Operator(int number, JMXConnector connector) throws IOException {
            super("hotbind-stress-jmx-" + number);
            setDaemon(true);
            this.number = number;
            this.connector = connector;
            this.jmx = connector.getMBeanServerConnection();
        }

        @Override
        public void run() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            while (System.nanoTime() < deadline) {
                switch (random.nextInt(6)) {
                    case 0 -> operation("rebind");
                    case 1 -> {
                        if (operation("unbind")) {
                            operation("rebind after unbind");
                        }
                    }
                    case 2 -> moveAndBack();
                    case 3 -> {
                        if (call("drain(" + DRAIN_TIMEOUT_MILLIS + " ms)", () -> jmx.invoke(locate(jmx), "drain",
                                new Object[] {DRAIN_TIMEOUT_MILLIS}, new String[] {Long.class.getName()}))) {
                            operation("rebind after drain");
                        }
                    }
                    case 4 -> call("read Agent.Listeners", () -> jmx.getAttribute(new ObjectName(AGENT), "Listeners"));
                    default -> call("read Agent.connections()", () -> jmx.invoke(new ObjectName(AGENT), "connections",
                            new Object[0], new String[0]));
                }
            }
        }

        /** rebindTo a free port, then home, tried again while refused until the end, so churn is not left refused. */
        private void moveAndBack() {
            int away;
            try {
                away = RebindBench.freePort();
            } catch (IOException e) {
                return;
            }
            if (move("rebindTo away", away)) {
                while (!move("rebindTo home", home) && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        private boolean move(String kind, int port) {
            return call(kind, () -> jmx.invoke(locate(jmx), "rebindTo", new Object[] {":" + port},
                    new String[] {String.class.getName()}));
        }

        /** A no-argument listener operation; {@code kind} names it in the report, its first word is the operation. */
        private boolean operation(String kind) {
            String name = kind.split(" ")[0];
            return call(kind, () -> jmx.invoke(locate(jmx), name, new Object[0], new String[0]));
        }

        private boolean call(String kind, JmxCall body) {
            since = System.nanoTime();
            flagged = false;
            current = kind;
            Throwable failure = null;
            try {
                body.run();
            } catch (Exception e) {
                failure = e;
            } finally {
                current = null;
            }
            kind(kind).done((System.nanoTime() - since) / 1e3, failure);
            return failure == null;
        }

        void close() {
            try {
                connector.close();
            } catch (IOException ignored) {
                // the run is over; the server closes too
            }
        }
    }

    private interface JmxCall {
        Object run() throws Exception;
    }
}
