package dev.hotbind.it;

import dev.hotbind.it.harness.Client;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.TargetJvm;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import javax.management.ObjectName;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The demo application on one JDK in one mode, with its four listeners known to hotbind. After an
 * attach, all four must be there when the attach returns, with no connection made since.
 */
final class DemoTarget implements AutoCloseable {
    static final List<String> STYLES = List.of("classic", "channel", "selector", "httpserver");
    static final String MAIN = "dev.hotbind.demo.DemoApp";

    final TargetJvm jvm;
    final Mode mode;
    final Map<String, Integer> ports = new LinkedHashMap<>();
    /** What the kernel says the process listens on, read before any JMX connector was started. */
    final Set<Integer> listeningBeforeJmx;
    final Map<String, ObjectName> names = new LinkedHashMap<>();
    /** AcceptedCount of each listener as soon as hotbind shows it. */
    final Map<String, Long> acceptedWhenFound = new LinkedHashMap<>();

    private DemoTarget(TargetJvm jvm, Mode mode) throws Exception {
        this.jvm = jvm;
        this.mode = mode;
        for (String style : STYLES) {
            ports.put(style, jvm.awaitPort(style));
        }
        listeningBeforeJmx = ListeningSockets.available() ? ListeningSockets.portsOf(jvm.pid()) : null;
        HotbindJmx hotbind = jvm.hotbind();
        for (String style : STYLES) {
            ObjectName name = hotbind.listenerOnPort(ports.get(style), mode);
            names.put(style, name);
            acceptedWhenFound.put(style, (Long) hotbind.attribute(name, "AcceptedCount"));
        }
    }

    /** Every JDK, each with -javaagent and with a dynamic attach: the arguments of parameterized tests. */
    static Stream<Arguments> everyJdkAndMode() {
        return Jdk.all().stream().flatMap(jdk -> Stream.of(Arguments.of(jdk, Mode.JAVAAGENT),
                Arguments.of(jdk, Mode.ATTACH)));
    }

    static DemoTarget start(Jdk jdk, Mode mode) throws Exception {
        TargetJvm jvm = TargetJvm.on(jdk).mode(mode).classpath(TargetJvm.DEMO_JAR.toString())
                .start("demo ready", MAIN);
        try {
            return new DemoTarget(jvm, mode);
        } catch (Exception | AssertionError e) {
            jvm.close();
            throw e;
        }
    }

    /** A connection the server has answered, so it has certainly been accepted. */
    Client open(String style) throws IOException {
        int port = ports.get(style);
        return style.equals("httpserver") ? Client.http(port) : Client.greeted(port);
    }

    HotbindJmx hotbind() throws IOException {
        return jvm.hotbind();
    }

    @Override
    public void close() {
        jvm.close();
    }
}
