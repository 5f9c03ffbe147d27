package dev.hotbind.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.DeepAccessApp;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * hotbind's deep access into {@code java.base} is its own: with the agent loaded, application code
 * is still refused the socket internals hotbind reads and swaps, while hotbind's operations, which
 * need them, work.
 */
class DeepAccessIT {

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void applicationCodeStaysRefusedWhileHotbindHasItsAccess(Jdk jdk, TargetJvm.Mode mode) throws Exception {
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).start("deep-access ready",
                DeepAccessApp.class.getName())) {
            HotbindJmx hotbind = target.hotbind();
            send(target, "bind");
            int port = target.awaitPort("bound");
            ObjectName listener = hotbind.awaitListenerOnPort(port);
            CompositeData rebound = hotbind.invoke(listener, "rebind");
            assertEquals("renewed", rebound.get("kind"), "hotbind renews the socket itself: " + rebound.get("summary"));

            send(target, "probe");
            String internals = target.awaitOutput("probe sun\\.nio\\.ch\\.ServerSocketChannelImpl\\.fdVal: (.*)");
            String descriptor = target.awaitOutput("probe java\\.io\\.FileDescriptor\\.fd: (.*)");
            assertTrue(internals.equals("refused InaccessibleObjectException"), "sun.nio.ch: " + internals);
            assertTrue(descriptor.equals("refused InaccessibleObjectException"), "FileDescriptor.fd: " + descriptor);
        }
    }

    private static void send(TargetJvm target, String line) throws IOException {
        OutputStream in = target.process().getOutputStream();
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }
}
