package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.tools.attach.AgentInitializationException;
import dev.hotbind.it.harness.Client;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The agent never harms its host: bad options, repeated attaches. */
class AgentHardeningIT {

    static Stream<Jdk> jdks() {
        return Jdk.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void badAttachIsReportedAndRepeatedAttachInstallsOnce(Jdk jdk) throws Exception {
        try (TargetJvm demo = TargetJvm.on(jdk).mode(Mode.NONE).classpath(TargetJvm.DEMO_JAR.toString())
                .start("demo ready", DemoTarget.MAIN)) {
            int classic = demo.awaitPort("classic");

            AgentInitializationException refused = assertThrows(AgentInitializationException.class,
                    () -> demo.attach("nosuch=1"), "a bad option fails the attach");
            Properties properties = demo.systemProperties();
            String error = properties.getProperty("hotbind.attach.error");
            assertTrue(error != null && error.contains("unknown option 'nosuch'") && error.contains("history="),
                    "the target says why: " + error + " (attach said: " + refused + ")");
            assertNull(properties.getProperty("hotbind.version"), "not installed");
            demo.awaitOutput("hotbind: attach failed: unknown option 'nosuch'");
            // the JDK also prints the failure of agentmain; ours carries no stack trace to keep that short
            assertFalse(demo.output().contains("at dev.hotbind."), demo.output());
            Client.greeted(classic).close();

            demo.attach("");
            demo.attach("");
            // a repeat attach without options loads nothing again and says so
            demo.awaitOutput("hotbind: repeat attach: nothing changed");
            properties = demo.systemProperties();
            assertNull(properties.getProperty("hotbind.attach.error"), "a good attach clears the error");
            assertEquals("0.1.0-SNAPSHOT", properties.getProperty("hotbind.version"));

            Client.greeted(classic).close();
            HotbindJmx h = demo.hotbind();
            ObjectName listener = h.awaitListenerOnPort(classic);
            long before = (Long) h.attribute(listener, "AcceptedCount");
            Client.greeted(classic).close();
            Client.greeted(classic).close();
            Poll.until("two more accepted", () -> h.attribute(listener, "AcceptedCount").equals(before + 2));
            List<ObjectName> onPort = h.listenerNames().stream()
                    .filter(n -> Integer.valueOf(classic).equals(h.attribute(n, "LocalPort")))
                    .collect(Collectors.toList());
            assertEquals(List.of(listener), onPort, "one MBean for the listener");
            assertEquals(before + 2, h.attribute(listener, "AcceptedCount"), "each accept counted once");
            assertFalse(demo.output().contains("sun.misc.Unsafe"), demo.output());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jdks")
    void badJavaagentOptionLeavesTheApplicationRunningWithoutHotbind(Jdk jdk) throws Exception {
        try (TargetJvm demo = TargetJvm.on(jdk).mode(Mode.JAVAAGENT).agentOptions("nosuch=1")
                .classpath(TargetJvm.DEMO_JAR.toString()).start("demo ready", DemoTarget.MAIN)) {
            int classic = demo.awaitPort("classic");
            try (Client client = Client.greeted(classic)) {
                assertTrue(client.localPort() > 0);
            }
            List<String> ours = demo.output().lines().filter(l -> l.contains("hotbind")).collect(Collectors.toList());
            assertEquals(1, ours.size(), "one line about hotbind: " + demo.output());
            String line = ours.get(0);
            assertTrue(line.startsWith("hotbind: unknown option 'nosuch'; accepted: history="), line);
            assertTrue(line.endsWith("the application continues without hotbind"), line);
            assertEquals(0, demo.jmx().queryNames(new ObjectName("dev.hotbind:*"), null).size(), "no MBeans");
            assertNull(demo.systemProperties().getProperty("hotbind.version"));
        }
    }
}
