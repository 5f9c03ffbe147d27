package dev.hotbind.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.util.Optional;
import java.util.Properties;
import javax.management.MBeanServerConnection;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * One target JVM reached the way JConsole reaches a local JVM: the Attach API, then the JVM's own
 * local management agent over a JMX connector. We start no server of our own in the target.
 */
final class TargetConnection implements AutoCloseable {
    /** The agent property the JDK sets once its local management agent runs. */
    private static final String LOCAL_CONNECTOR = "com.sun.management.jmxremote.localConnectorAddress";

    private final long pid;
    private final VirtualMachine vm;
    private JMXConnector connector;

    private TargetConnection(long pid, VirtualMachine vm) {
        this.pid = pid;
        this.vm = vm;
    }

    /** Attaches to {@code pid}, or fails with a message that says why and what to do. */
    static TargetConnection attach(long pid) throws CliError {
        if (pid == ProcessHandle.current().pid()) {
            throw CliError.failed("pid " + pid + " is this command itself");
        }
        ProcessProbe probe = new ProcessProbe(pid);
        if (!probe.exists()) {
            throw CliError.failed("no process with pid " + pid + " (is it still running? 'jvms' lists the JVMs"
                    + " you can attach to)");
        }
        Optional<String> owner = probe.foreignOwner();
        if (owner.isPresent()) {
            throw CliError.failed(otherUser(pid, owner.get()));
        }
        if (!probe.mayAnswerAttach()) {
            throw CliError.failed(probe.describe() + " is not a running JVM that accepts"
                    + " attach: it does not handle the attach signal (SIGQUIT; a JVM started with -Xrs neither)");
        }
        try {
            return new TargetConnection(pid, VirtualMachine.attach(Long.toString(pid)));
        } catch (AttachNotSupportedException | IOException e) {
            throw CliError.failed(explain(pid, e, probe));
        }
    }

    long pid() {
        return pid;
    }

    Properties systemProperties() throws CliError {
        try {
            return vm.getSystemProperties();
        } catch (IOException e) {
            throw CliError.failed("reading the system properties of pid " + pid + " failed: " + CliError.rootCause(e));
        }
    }

    void loadAgent(String jar, String options)
            throws AgentLoadException, AgentInitializationException, IOException {
        vm.loadAgent(jar, options);
    }

    /**
     * A JMX connection to the target's platform MBeanServer, as JConsole opens it: through the JVM's
     * local management agent, started if it is not running yet. That agent's connector then listens
     * until the JVM exits (the JDK offers no way to stop it), so starting it is told on {@code notices}.
     */
    MBeanServerConnection jmx(PrintStream notices) throws CliError {
        try {
            if (connector == null) {
                String address = vm.getAgentProperties().getProperty(LOCAL_CONNECTOR);
                if (address == null) {
                    address = vm.startLocalManagementAgent();
                    // the address is a serialized RMI stub: nothing an operator can read, so it is not printed
                    notices.println("hotbind: started the JDK's local JMX connector in pid " + pid
                            + ", as JConsole does; it stays open until that JVM exits");
                }
                connector = JMXConnectorFactory.connect(new JMXServiceURL(address));
            }
            return connector.getMBeanServerConnection();
        } catch (IOException e) {
            throw CliError.failed("cannot open a JMX connection to pid " + pid + ": " + CliError.rootCause(e)
                    + (e.getCause() instanceof ConnectException
                    ? " (was the JVM's own JMX listener, 'RMI TCP Accept', closed?)" : ""));
        }
    }

    @Override
    public void close() {
        try {
            if (connector != null) {
                connector.close();
            }
        } catch (IOException ignored) {
            // the connection is going away either way
        }
        try {
            vm.detach();
        } catch (IOException ignored) {
            // as above
        }
    }

    private static String explain(long pid, Exception e, ProcessProbe probe) {
        String message = String.valueOf(e.getMessage());
        if (message.contains("does not support the attach mechanism")) {
            return "JVM " + pid + " refuses attach: it was started with -XX:+DisableAttachMechanism; restart it"
                    + " without that flag, or with -javaagent:hotbind-agent.jar";
        }
        if (!probe.exists() || message.contains("No such process") || message.contains("Unable to parse namespace")) {
            return "no process with pid " + pid + " (it ended while we attached)";
        }
        if (message.contains("ermission denied") || message.contains("not permitted")
                || message.contains("not secure") || message.contains("file owner")) {
            return "not permitted to attach to pid " + pid + " (" + message + "): a JVM can only be attached by"
                    + " the user it runs as; run this command as that user";
        }
        if (message.contains("doesn't respond") || message.contains("not loaded")) {
            return probe.describe() + " did not answer the attach request: it is not a"
                    + " HotSpot JVM, it is hung, or its /tmp is not the one we see (" + message + ")";
        }
        return "cannot attach to pid " + pid + ": " + e;
    }

    private static String otherUser(long pid, String owner) {
        return "pid " + pid + " runs as user '" + owner + "'; a JVM can only be attached by the user it runs as:"
                + " run this command as that user, e.g. sudo -u " + owner + " java -jar hotbind-agent.jar ...";
    }
}
