package dev.hotbind.it.harness;

import com.sun.tools.attach.VirtualMachine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * A JVM under test, started as a subprocess: with {@code -javaagent}, or plain and then given the
 * agent by a dynamic attach, or without hotbind at all. Its output is kept for assertions, and JMX
 * is reached the way JConsole reaches a local JVM: Attach API, then the local management agent.
 */
public final class TargetJvm implements AutoCloseable {

    /** How hotbind gets into the target. */
    public enum Mode {
        JAVAAGENT, ATTACH, NONE
    }

    public static final Path AGENT_JAR = Path.of(System.getProperty("hotbind.agent.jar",
            "../agent/target/hotbind-agent.jar")).toAbsolutePath().normalize();
    public static final Path DEMO_JAR = Path.of(System.getProperty("hotbind.demo.jar",
            "../demo-app/target/hotbind-demo.jar")).toAbsolutePath().normalize();

    private final Process process;
    private final Jdk jdk;
    private final StringBuffer output = new StringBuffer();
    private JMXConnector connector;

    private TargetJvm(Process process, Jdk jdk) {
        this.process = process;
        this.jdk = jdk;
        pump(process.getInputStream(), "hotbind-it-stdout");
        pump(process.getErrorStream(), "hotbind-it-stderr");
    }

    public static Builder on(Jdk jdk) {
        return new Builder(jdk);
    }

    /** Builds the command line of a target JVM. */
    public static final class Builder {
        private final Jdk jdk;
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> laterAgents = new ArrayList<>();
        private String classpath = System.getProperty("java.class.path");
        private Mode mode = Mode.JAVAAGENT;
        private String agentOptions = "";
        private Duration readyWithin = Poll.DEFAULT;
        private final List<String> launcher = new ArrayList<>();
        private boolean oneStream;

        private Builder(Jdk jdk) {
            this.jdk = jdk;
        }

        public Builder mode(Mode newMode) {
            mode = newMode;
            return this;
        }

        public Builder agentOptions(String options) {
            agentOptions = options;
            return this;
        }

        public Builder classpath(String newClasspath) {
            classpath = newClasspath;
            return this;
        }

        /** How long the ready line may take: a server's start-up on a loaded machine can exceed the default. */
        public Builder readyWithin(Duration timeout) {
            readyWithin = timeout;
            return this;
        }

        /**
         * Starts the JVM through {@code command} (which must exec it, so the pid stays the JVM's), e.g.
         * {@link SocketLauncher#exec}: the command line is {@code command... java ...}.
         */
        public Builder through(List<String> command) {
            launcher.addAll(command);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        /**
         * Another Java agent, {@code -javaagent:<jar>=<options>} after hotbind's: with -javaagent, hotbind is
         * first, so it sees the listeners that agent binds in its premain, as an operator's command line has it.
         */
        public Builder javaagent(Path jar, String options) {
            laterAgents.add("-javaagent:" + jar + (options.isEmpty() ? "" : "=" + options));
            return this;
        }

        /**
         * The target's stderr goes into its stdout, one pipe: {@link TargetJvm#output()} then has the lines
         * in the order the JVM wrote them (two pipes read by two threads interleave them as they are read,
         * which under load is not the order they were written in). For tests that order stdout lines
         * against stderr lines.
         */
        public Builder oneStream() {
            oneStream = true;
            return this;
        }

        /** Starts {@code mainClass args}; with {@link Mode#ATTACH} attaches once {@code readyLine} is printed. */
        public TargetJvm start(String readyLine, String mainClass, String... args) throws Exception {
            List<String> command = new ArrayList<>(launcher);
            command.add(jdk.java().toString());
            command.add("-Xmx256m");
            if (jdk.feature() >= 21) {
                command.add("-XX:+EnableDynamicAgentLoading");
            }
            command.addAll(jvmArgs);
            if (mode == Mode.JAVAAGENT) {
                command.add("-javaagent:" + AGENT_JAR + (agentOptions.isEmpty() ? "" : "=" + agentOptions));
            }
            command.addAll(laterAgents);
            command.add("-cp");
            command.add(classpath);
            command.add(mainClass);
            command.addAll(List.of(args));
            TargetJvm target = new TargetJvm(new ProcessBuilder(command).redirectErrorStream(oneStream).start(), jdk);
            try {
                target.awaitOutput(Pattern.quote(readyLine), readyWithin);
                if (mode == Mode.ATTACH) {
                    target.attach(agentOptions);
                }
                return target;
            } catch (Exception | AssertionError e) {
                target.close();
                throw new AssertionError(e.getMessage() + "\n--- target output:\n" + target.output(), e);
            }
        }
    }

    public long pid() {
        return process.pid();
    }

    public Jdk jdk() {
        return jdk;
    }

    public Process process() {
        return process;
    }

    public String output() {
        return output.toString();
    }

    /** Writes one line to the target's standard input: a command for the apps that read them. */
    public void send(String line) throws IOException {
        java.io.OutputStream in = process.getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Waits for a line matching {@code regex}; returns its first group, or the whole match. */
    public String awaitOutput(String regex) {
        return awaitOutput(regex, Poll.DEFAULT);
    }

    public String awaitOutput(String regex, Duration timeout) {
        Pattern pattern = Pattern.compile(regex);
        return Poll.value("output matching /" + regex + "/ from " + jdk + " pid " + pid(), timeout, () -> {
            if (!process.isAlive() && !pattern.matcher(output).find()) {
                throw new AssertionError("target exited with " + process.exitValue() + ":\n" + output);
            }
            Matcher m = pattern.matcher(output);
            return m.find() ? (m.groupCount() > 0 ? m.group(1) : m.group()) : null;
        });
    }

    public int awaitPort(String name) {
        return Integer.parseInt(awaitOutput(Pattern.quote(name) + " port (\\d+)"));
    }

    /** Loads the agent into the running target, as {@code java -jar hotbind-agent.jar attach} does. */
    public void attach(String options) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid()));
        try {
            vm.loadAgent(AGENT_JAR.toString(), options);
        } finally {
            vm.detach();
        }
    }

    /** The target's system properties, read through the Attach API as the CLI reads them. */
    public java.util.Properties systemProperties() throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid()));
        try {
            return vm.getSystemProperties();
        } finally {
            vm.detach();
        }
    }

    public synchronized MBeanServerConnection jmx() throws IOException {
        if (connector == null) {
            String address;
            try {
                VirtualMachine vm = VirtualMachine.attach(Long.toString(pid()));
                try {
                    address = vm.startLocalManagementAgent();
                } finally {
                    vm.detach();
                }
            } catch (com.sun.tools.attach.AttachNotSupportedException e) {
                throw new IOException(e);
            }
            connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
        }
        return connector.getMBeanServerConnection();
    }

    public HotbindJmx hotbind() throws IOException {
        return new HotbindJmx(jmx());
    }

    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
            throw new AssertionError("target did not exit within " + timeout + ":\n" + output);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        try {
            if (connector != null) {
                connector.close();
            }
        } catch (IOException ignored) {
            // the target is going away anyway
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void pump(InputStream stream, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // process ended
            }
        }, name);
        t.setDaemon(true);
        t.start();
    }
}
