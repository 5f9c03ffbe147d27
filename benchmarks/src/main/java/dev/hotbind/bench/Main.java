package dev.hotbind.bench;

import dev.hotbind.bench.jmh.AcceptPathRun;
import dev.hotbind.bench.load.Load;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;

/**
 * The benchmark command: {@code java -jar benchmarks/target/hotbind-benchmarks.jar [--quick]
 * [--java <path to java>] [--only churn,keepalive,jmh,rebind,rebind-models,startup]}. Prints one table of
 * figures all measured in this run; {@code rebind} includes the zero-downtime replacement where the agent has
 * drain(); {@code rebind-models} repeats the same-port rebinds on every accept model, -javaagent and attach.
 * Two more commands put the agent under stress rather than measure its cost: {@code stress [--seconds N]
 * [--clients K] [--stuck-seconds S]} ({@link StressBench}) and {@code soak [--connections N]} ({@link Soak});
 * {@code close-control [--rounds N]} ({@link CloseControl}) measures, without any agent, what closing a
 * listener under churn does to clients caught in their handshake.
 */
public final class Main {
    private static final List<String> PARTS = List.of("churn", "keepalive", "jmh", "rebind", "rebind-models", "startup");
    private static final Set<String> COMMANDS = Set.of("stress", "soak", "close-control");
    private static final int CHURN_THREADS = 2;
    private static final int KEEP_ALIVE_CONNECTIONS = 4;
    /** A/A control pairs: about 80 s in full mode (a warm-up of the twin, then 8 pairs of 2 x 4 s). */
    private static final int CONTROL_PAIRS = 8;
    private static final int QUICK_CONTROL_PAIRS = 4;

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = false;
        boolean child = false;
        boolean modelsChild = false;
        Path java = Setup.defaultJava();
        Set<String> only = new LinkedHashSet<>(PARTS);
        String command = args.length > 0 && COMMANDS.contains(args[0]) ? args[0] : "";
        long seconds = 60;
        int clients = 4;
        long stuckSeconds = 10;
        long connections = 200_000;
        long rounds = 3_000;
        for (int i = command.isEmpty() ? 0 : 1; i < args.length; i++) {
            switch (args[i]) {
                case "-h", "--help" -> {
                    printUsage(System.out);
                    return;
                }
                case "--quick" -> quick = true;
                case Namespaces.CHILD_FLAG -> child = true;
                case Namespaces.MODELS_CHILD_FLAG -> modelsChild = true;
                case "--java" -> {
                    if (command.equals("close-control")) {
                        usage("close-control runs on the java that runs it: start the benchmark jar with that java");
                    }
                    java = Path.of(value(args, ++i, "--java needs the path of a java executable"));
                }
                case "--only" -> only = parts(value(args, ++i, "--only needs a list: " + PARTS));
                case "--seconds" -> seconds = number(args, ++i, "stress", 1, 86_400);
                case "--clients" -> clients = (int) number(args, ++i, "stress", 1, 64);
                case "--stuck-seconds" -> stuckSeconds = number(args, ++i, "stress", 1, 3_600);
                case "--connections" -> connections = number(args, ++i, "soak", 1, 100_000_000);
                case "--rounds" -> rounds = number(args, ++i, "close-control", 1, 1_000_000);
                default -> usage("unknown argument '" + args[i] + "'");
            }
        }
        if (!command.isEmpty() && (quick || !only.equals(new LinkedHashSet<>(PARTS)))) {
            usage("--quick and --only belong to the benchmark table, not to the " + command + " command");
        }
        if (!Files.isExecutable(java)) {
            usage("--java " + java + " is not an executable");
        }
        if (command.equals("close-control")) {
            CloseControl.run((int) rounds);
            return;
        }
        Setup setup = Setup.of(quick, java);
        if (command.equals("stress")) {
            StressBench.run(setup, Duration.ofSeconds(seconds), clients, Duration.ofSeconds(stuckSeconds));
            return;
        }
        if (command.equals("soak")) {
            Soak.run(setup, connections);
            return;
        }
        if (child) {
            Namespaces.child(setup);
            return;
        }
        if (modelsChild) {
            Namespaces.modelsChild(setup);
            return;
        }
        long start = System.nanoTime();
        Report.header(setup, jdkOf(java));
        Comparison.Result churn = null;
        if (only.contains("churn") || only.contains("keepalive")) {
            try (ServerJvm plain = ServerJvm.start("no-agent", setup, null, "", 0);
                 ServerJvm agent = ServerJvm.start("agent", setup, setup.agentJar(), "", 0)) {
                if (only.contains("churn")) {
                    Comparison.Result control = churnControl(setup, plain);
                    churn = Comparison.run("churn", setup, plain, agent, Load.Kind.CHURN, CHURN_THREADS);
                    Report.comparison("1. Accept churn: connect, 1-byte request, server answers and closes ("
                            + CHURN_THREADS + " client threads)", "connection", churn, Report.CHURN_TARGET);
                    Report.where(churn);
                    Report.control(control, churn);
                }
                if (only.contains("keepalive")) {
                    Comparison.Result keepAlive = Comparison.run("keep-alive", setup, plain, agent,
                            Load.Kind.KEEP_ALIVE, KEEP_ALIVE_CONNECTIONS);
                    Report.comparison("2. Keep-alive: 1-byte request and answer on " + KEEP_ALIVE_CONNECTIONS
                            + " open connections", "request", keepAlive, Report.KEEP_ALIVE_TARGET);
                }
                Report.agentSeen(agentSeen(agent));
            }
        }
        if (only.contains("jmh")) {
            Report.progress("JMH: AcceptPathBenchmark in a forked JVM");
            Report.jmh(AcceptPathRun.run(quick, java.toString()), churn);
        }
        if (only.contains("rebind")) {
            List<Namespaces.Half> halves = Namespaces.run(setup);
            Report.rebind(halves.stream().map(Namespaces.Half::rebind).toList(), setup.rebinds());
            Report.replacement(halves.stream().map(Namespaces.Half::replacement).toList(),
                    halves.stream().map(Namespaces.Half::control).toList());
        }
        if (only.contains("rebind-models")) {
            String loadBefore = Report.loadAverage();
            List<RebindRun> runs = Namespaces.runModels(setup);
            Report.rebindModels(runs, setup.rebinds(), loadBefore, Report.loadAverage());
        }
        if (only.contains("startup")) {
            if (StartupBench.available()) {
                Report.startup(StartupBench.run(setup));
            } else {
                Report.out("6. Start-up: not measured: needs /usr/bin/time for the child JVMs' CPU time and peak memory");
                Report.out("");
            }
        }
        Report.out(Report.f("total time %.0f s", (System.nanoTime() - start) / 1e9));
    }

    /**
     * The same churn alternation between the no-agent JVM and a second, identical one: how far a per-pair
     * CPU ratio strays on this machine when nothing differs. Run first, while both are equally fresh (each
     * gets the same warm-up): a JVM that has served longer is further along in its JIT and heap, which
     * showed as a median ratio of 1.2-1.5 when the twin was started after the agent pairs.
     */
    private static Comparison.Result churnControl(Setup setup, ServerJvm plain) throws IOException, InterruptedException {
        try (ServerJvm twin = ServerJvm.start("no-agent-2", setup, null, "", 0)) {
            return Comparison.run("A/A control", setup, setup.quick() ? QUICK_CONTROL_PAIRS : CONTROL_PAIRS,
                    plain, twin, Load.Kind.CHURN, CHURN_THREADS);
        }
    }

    /** Proof that the agent JVM really ran hotbind: what its registry saw, read over JMX after measuring. */
    private static String agentSeen(ServerJvm agent) throws IOException, InterruptedException {
        MBeanServerConnection jmx = agent.jmx();
        ObjectName listener = agent.listenerMBean();
        try {
            return "checked after measuring: hotbind in the agent JVM recorded listener " + listener.getKeyProperty("name")
                    + " with " + jmx.getAttribute(listener, "AcceptedCount") + " accepted connections";
        } catch (javax.management.JMException e) {
            throw new IOException("reading AcceptedCount of " + listener + ": " + e, e);
        }
    }

    private static String jdkOf(Path java) {
        Path home = java.toAbsolutePath().getParent().getParent();
        try {
            String version = "";
            String implementor = "";
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_RUNTIME_VERSION=") || (version.isEmpty() && line.startsWith("JAVA_VERSION="))) {
                    version = line.substring(line.indexOf('=') + 1).replace("\"", "");
                } else if (line.startsWith("IMPLEMENTOR=")) {
                    implementor = line.substring(line.indexOf('=') + 1).replace("\"", "");
                }
            }
            return (implementor + " " + version).trim() + " (" + home + ")";
        } catch (IOException e) {
            return home.toString();
        }
    }

    private static Set<String> parts(String list) {
        Set<String> chosen = new LinkedHashSet<>(List.of(list.split(",")));
        for (String part : chosen) {
            if (!PARTS.contains(part)) {
                usage("--only: unknown part '" + part + "'; parts are " + String.join(", ", PARTS));
            }
        }
        return chosen;
    }

    /** A whole number option's value within bounds; {@code command} is the only command it belongs to. */
    private static long number(String[] args, int i, String command, long min, long max) {
        String option = args[i - 1];
        if (!args[0].equals(command)) {
            usage(option + " belongs to the " + command + " command: java -jar hotbind-benchmarks.jar " + command
                    + " " + option + " ...");
        }
        String text = value(args, i, option + " needs a whole number");
        try {
            long n = Long.parseLong(text);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        usage(option + " '" + text + "': give a whole number from " + min + " to " + max);
        return min;
    }

    private static String value(String[] args, int i, String missing) {
        if (i >= args.length) {
            usage(missing);
        }
        return args[i];
    }

    private static void usage(String problem) {
        System.err.println("hotbind-benchmarks: " + problem);
        printUsage(System.err);
        System.exit(2);
    }

    private static void printUsage(java.io.PrintStream out) {
        out.println("usage: java -jar benchmarks/target/hotbind-benchmarks.jar [--quick] [--java <java executable>]"
                + " [--only " + String.join(",", PARTS) + "]");
        out.println("         parts: churn (1), keepalive (2), jmh (3), rebind (4 and 5: same-port rebinds, moves,"
                + " JVM replacement; tcp_migrate_req 0 and 1),");
        out.println("         rebind-models (4b: same-port rebinds on every accept model, -javaagent and attach;"
                + " tcp_migrate_req 0), startup (6)");
        out.println("       java -jar benchmarks/target/hotbind-benchmarks.jar stress [--seconds 60] [--clients 4]"
                + " [--stuck-seconds 10] [--java <java executable>]");
        out.println("       java -jar benchmarks/target/hotbind-benchmarks.jar soak [--connections 200000]"
                + " [--java <java executable>]");
        out.println("       java -jar benchmarks/target/hotbind-benchmarks.jar close-control [--rounds 3000]"
                + "   (no agent: what closing a listener under churn does to its clients; runs on the java that runs it)");
    }
}
