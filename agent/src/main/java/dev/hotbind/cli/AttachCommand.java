package dev.hotbind.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import dev.hotbind.entry.HotbindAgent;
import dev.hotbind.options.AgentOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.Function;

/** {@code attach <pid> [options]}: loads hotbind into a running JVM. */
final class AttachCommand {
    static final String JEP_451 = "a JDK 21+ JVM prints a warning about a dynamically loaded agent (JEP 451) unless"
            + " it runs with -XX:+EnableDynamicAgentLoading; hotbind works either way";

    private AttachCommand() {
    }

    static void run(Args args, PrintStream out) throws CliError {
        args.expect(1, 2);
        long pid = args.pid(0);
        String options = args.has(1) ? args.text(1) : "";
        checkOptions(options, AgentOptions::parseChanges);
        String jar = agentJar();
        try (TargetConnection target = TargetConnection.attach(pid)) {
            Properties before = target.systemProperties();
            String running = before.getProperty(HotbindAgent.LOADED_PROPERTY);
            if (running != null && options.isBlank()) {
                out.println("hotbind " + running + " is already loaded in pid " + pid + "; nothing done");
                out.println("see its listeners: java -jar hotbind-agent.jar list " + pid);
                return;
            }
            if (running == null) {
                checkOptions(options, AgentOptions::parse);
            }
            load(target, jar, options, running == null ? "loading hotbind into pid " + pid
                    : "changing the options of hotbind " + running + " in pid " + pid);
            if (running != null) {
                // a repeat attach: the agent applied what can change at run time and says what it did
                String result = target.systemProperties().getProperty(HotbindAgent.RESULT_PROPERTY);
                out.println("hotbind " + running + " already runs in pid " + pid + "; "
                        + (result == null ? "it did not say what it changed; see its stderr" : result));
                return;
            }
            Properties after = target.systemProperties();
            String version = after.getProperty(HotbindAgent.LOADED_PROPERTY);
            if (version == null) {
                throw CliError.failed("pid " + pid + " took the agent but hotbind did not start there; see its stderr");
            }
            out.println("hotbind " + version + " loaded into pid " + pid
                    + " (Java " + after.getProperty("java.version") + ", " + describe(after) + ")");
            out.println("see its listeners: java -jar hotbind-agent.jar list " + pid
                    + "; or JConsole -> pid " + pid + " -> MBeans -> dev.hotbind");
            if (feature(after) >= 21) {
                out.println("note: " + JEP_451);
            }
        }
    }

    private static void load(TargetConnection target, String jar, String options, String what) throws CliError {
        try {
            target.loadAgent(jar, options.isEmpty() ? null : options);
        } catch (AgentLoadException | AgentInitializationException | IOException e) {
            String reason = target.systemProperties().getProperty(HotbindAgent.ERROR_PROPERTY);
            throw CliError.failed(what + " failed: "
                    + (reason != null ? reason : CliError.rootCause(e)));
        }
    }

    /** Refuses options the agent would refuse, before anything reaches the target. */
    private static void checkOptions(String options, Function<String, AgentOptions> parser) throws CliError {
        try {
            parser.apply(options);
        } catch (IllegalArgumentException e) {
            throw CliError.usage("bad agent options '" + options + "': " + e.getMessage());
        }
    }

    /** The jar this command runs from, which is also the agent. */
    private static String agentJar() throws CliError {
        try {
            Path jar = Path.of(AttachCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar)) {
                return jar.toAbsolutePath().toString();
            }
        } catch (URISyntaxException | RuntimeException ignored) {
            // reported below
        }
        throw CliError.failed("attach must run from hotbind-agent.jar (java -jar hotbind-agent.jar attach ...)");
    }

    private static String describe(Properties properties) {
        String command = properties.getProperty("sun.java.command", "");
        return command.isEmpty() ? "main class unknown" : command.split(" ", 2)[0];
    }

    static int feature(Properties properties) {
        try {
            String version = properties.getProperty("java.specification.version", "0");
            return Integer.parseInt(version.replaceFirst("^1\\.", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
