package dev.hotbind.bench;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A server JVM the benchmark measures: the bench server app in its own process, with the agent on
 * its command line or without. Asked for its CPU time over stdin; reached over JMX the way JConsole
 * reaches a local JVM (Attach API, then the local management agent) only where an operation is needed.
 */
final class ServerJvm implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 60;
    private static final long ANSWER_TIMEOUT_SECONDS = 30;
    /** What the agent prints when -javaagent cannot configure it. */
    private static final String AGENT_REFUSED = "continues without hotbind";

    private final String label;
    private final Process process;
    private final PrintStream commands;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();
    private final int port;
    private final boolean hasAgent;
    private JMXConnector connector;
    private String managementAddress;

    private ServerJvm(String label, Process process, boolean hasAgent) throws IOException, InterruptedException {
        this.label = label;
        this.hasAgent = hasAgent;
        this.process = process;
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
        pump(process, "hotbind-bench-" + label);
        String portLine = awaitLine("bench port ", START_TIMEOUT_SECONDS);
        this.port = Integer.parseInt(portLine.substring("bench port ".length()).trim());
        awaitLine("bench ready", START_TIMEOUT_SECONDS);
    }

    /** Starts the server on {@code port} (0: any), with {@code -javaagent:agentJar=agentOptions} unless agentJar is null. */
    static ServerJvm start(String label, Setup setup, Path agentJar, String agentOptions, int port)
            throws IOException, InterruptedException {
        return start(label, setup, agentJar, agentOptions, port, "socket");
    }

    /** The same with the bench server's accept {@code model} (socket, channel, selector, virtual). */
    static ServerJvm start(String label, Setup setup, Path agentJar, String agentOptions, int port, String model)
            throws IOException, InterruptedException {
        return start(label, setup, agentJar, agentOptions, port, model, false);
    }

    /** The same, the server setting SO_REUSEPORT on its listener itself when {@code reusePort}. */
    static ServerJvm start(String label, Setup setup, Path agentJar, String agentOptions, int port, String model,
                           boolean reusePort) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(setup.java().toString());
        command.addAll(Setup.SERVER_JVM_OPTIONS);
        if (agentJar != null) {
            command.add("-javaagent:" + agentJar + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
        }
        command.add("-cp");
        command.add(setup.serverJar().toString());
        command.add("dev.hotbind.bench.server.BenchServer");
        command.add(Integer.toString(port));
        command.add(model);
        if (reusePort) {
            command.add("reuseport");
        }
        Process process = new ProcessBuilder(command).start();
        try {
            return new ServerJvm(label, process, agentJar != null);
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /**
     * Loads the agent into this running server with the CLI's {@code attach <pid>}, as an operator would;
     * fails unless the CLI exits with 0 within a minute.
     */
    void attachAgent(Setup setup) throws IOException, InterruptedException {
        Process cli = new ProcessBuilder(setup.cli("attach", Long.toString(process.pid()))).redirectErrorStream(true)
                .start();
        String output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!cli.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || cli.exitValue() != 0) {
            cli.destroyForcibly();
            throw new IOException("hotbind attach " + process.pid() + " failed: " + output.trim());
        }
    }

    String label() {
        return label;
    }

    int port() {
        return port;
    }

    /** CPU time, accept failures and audits of the server process, as it measures them itself. */
    Stats stats() throws IOException, InterruptedException {
        commands.println("stats");
        String[] parts = awaitLine("stats ", ANSWER_TIMEOUT_SECONDS).split(" ");
        return new Stats(Long.parseLong(parts[1]), Long.parseLong(parts[2]), Long.parseLong(parts[3]));
    }

    /** Connections the server application accepted so far, as it counts them itself. */
    long accepted() throws IOException, InterruptedException {
        commands.println("accepted");
        return Long.parseLong(awaitLine("accepted ", ANSWER_TIMEOUT_SECONDS).substring("accepted ".length()).trim());
    }

    /**
     * The application's own graceful end (a server started with {@code reusePort}): closes its listener,
     * waits for its accept loop to leave and its connections to finish; its answer.
     */
    String closeListener() throws IOException, InterruptedException {
        commands.println("close-listener");
        return awaitLine("listener closed", ANSWER_TIMEOUT_SECONDS);
    }

    /** {@code audits}: orphan audits the agent ran, -1 without the agent (or before its MBean is registered). */
    record Stats(long cpuNanos, long acceptFailures, long audits) {
    }

    /** Young collections and bytes allocated by the live threads so far, as the server reads them itself. */
    Heap heap() throws IOException, InterruptedException {
        commands.println("gc");
        String[] parts = awaitLine("gc ", ANSWER_TIMEOUT_SECONDS).split(" ");
        return new Heap(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
    }

    record Heap(long youngCollections, long allocatedBytes) {
    }

    boolean hasAgent() {
        return hasAgent;
    }

    long pid() {
        return process.pid();
    }

    synchronized MBeanServerConnection jmx() throws IOException {
        if (connector == null) {
            connector = connect();
        }
        return connector.getMBeanServerConnection();
    }

    /** A JMX connection of its own (as another operator's JConsole has), for the caller to close. */
    synchronized JMXConnector connect() throws IOException {
        if (managementAddress == null) {
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(process.pid()));
                try {
                    managementAddress = vm.startLocalManagementAgent();
                } finally {
                    vm.detach();
                }
            } catch (com.sun.tools.attach.AttachNotSupportedException e) {
                throw new IOException("cannot attach to the " + label + " server JVM: " + e.getMessage(), e);
            }
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(managementAddress));
    }

    /**
     * The agent's Listener MBean for this server's port; it appears once the agent saw the bind. Gives up
     * at once when the agent refused to start (a bad option, say), and after 30 s otherwise.
     */
    ObjectName listenerMBean() throws IOException, InterruptedException {
        return listenerMBean(port);
    }

    /** The same for the listener now on {@code port} (a rebindTo moved it there). */
    ObjectName listenerMBean(int port) throws IOException, InterruptedException {
        MBeanServerConnection jmx = jmx();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (stderr.indexOf(AGENT_REFUSED) >= 0) {
                throw new IOException("the agent did not start in the " + label + " server JVM: " + stderr.toString().trim());
            }
            try {
                for (ObjectName name : jmx.queryNames(new ObjectName("dev.hotbind:type=Listener,*"), null)) {
                    if (Integer.valueOf(port).equals(jmx.getAttribute(name, "LocalPort"))) {
                        return name;
                    }
                }
            } catch (javax.management.JMException republishing) {
                // a listener MBean being re-registered: look again
            }
            Thread.sleep(50);
        }
        throw new IOException("no dev.hotbind Listener MBean for port " + port + " in the " + label
                + " server JVM within 30 s");
    }

    /** What the server printed on stderr (the agent's notices, a first accept failure). */
    String stderr() {
        return stderr.toString();
    }

    private String awaitLine(String prefix, long timeoutSeconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
            if (line == null && !process.isAlive()) {
                throw new IOException("the " + label + " server JVM exited with " + process.exitValue()
                        + " before printing '" + prefix + "'; its stderr:\n" + stderr);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("the " + label + " server JVM did not print '" + prefix + "' within "
                        + timeoutSeconds + " s; its stderr:\n" + stderr);
            }
        }
    }

    private void pump(Process p, String name) {
        pump(p.getInputStream(), name + "-stdout", lines::add);
        pump(p.getErrorStream(), name + "-stderr", line -> stderr.append(line).append('\n'));
    }

    private static void pump(java.io.InputStream stream, String name, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    sink.accept(line);
                }
            } catch (IOException ended) {
                // the process is gone; awaitLine says so
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }

    /** Closing stdin asks the server to exit; it is killed only if it does not within seconds. */
    @Override
    public void close() {
        commands.close();
        if (connector != null) {
            try {
                connector.close();
            } catch (IOException exiting) {
                // the server is on its way out
            }
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
