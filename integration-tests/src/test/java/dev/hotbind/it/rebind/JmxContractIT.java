package dev.hotbind.it.rebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.apps.HoldingServerApp;
import dev.hotbind.it.harness.FreePort;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a script may rely on over JMX, on every JDK, with -javaagent and after an attach: when an
 * operation answers, the MBeans already show it (the listener under its new name, found by its
 * {@code id} key, the old name gone); a refusal arrives as the JDK's IllegalStateException and a bad
 * argument as its IllegalArgumentException, which any client deserializes, and neither changes anything.
 */
class JmxContractIT {
    private static final int MOVES = 20;
    private static final String[] STRING = {String.class.getName()};
    private static final String[] LONG = {long.class.getName()};

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void theJmxViewReflectsAnOperationWhenItAnswers(Jdk jdk, TargetJvm.Mode mode) throws Exception {
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).start(HoldingServerApp.READY,
                HoldingServerApp.class.getName(), "contract")) {
            HotbindJmx hotbind = target.hotbind();
            MBeanServerConnection jmx = hotbind.connection();
            ObjectName name = hotbind.listenerOnPort(target.awaitPort("contract"), mode);
            long id = (Long) hotbind.attribute(name, "Id");
            for (int i = 0; i < MOVES; i++) {
                int port = FreePort.pick();
                CompositeData moved = hotbind.invoke(name, "rebindTo", new Object[] {":" + port}, STRING);
                assertEquals("127.0.0.1:" + port, moved.get("to"), String.valueOf(moved.get("summary")));
                // the same facts as an array, which JConsole lists one per row
                assertEquals(((String) moved.get("summary")).lines().toList(), List.of((String[]) moved.get("Facts")));
                // read at once, as a script does with the answer in hand: no wait, no retry
                ObjectName now = new ObjectName("dev.hotbind:type=Listener,name=127.0.0.1 port " + port + ",id=" + id);
                assertEquals(Set.of(now), jmx.queryNames(new ObjectName("dev.hotbind:type=Listener,id=" + id + ",*"),
                        null), "move " + i);
                assertEquals(port, jmx.getAttribute(now, "LocalPort"), "move " + i);
                ObjectName old = name;
                assertThrows(InstanceNotFoundException.class, () -> jmx.getAttribute(old, "LocalPort"),
                        "move " + i + ": the old name still answers");
                name = now;
            }
            connect((Integer) hotbind.attribute(name, "LocalPort"));

            CompositeData unbound = hotbind.invoke(name, "unbind");
            assertEquals("UNBOUND", hotbind.attribute(name, "State"), String.valueOf(unbound.get("summary")));
            CompositeData closed = hotbind.invoke(name, "close");
            assertEquals(id, closed.get("listenerId"));
            assertFalse(jmx.isRegistered(name), "the closed listener's MBean still answers");
            assertEquals(Set.of(), jmx.queryNames(new ObjectName("dev.hotbind:type=Listener,id=" + id + ",*"), null));
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void aRefusalAndABadArgumentAreDistinctJdkExceptions(Jdk jdk, TargetJvm.Mode mode) throws Exception {
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).start(HoldingServerApp.READY,
                HoldingServerApp.class.getName(), "refusing")) {
            HotbindJmx hotbind = target.hotbind();
            int port = target.awaitPort("refusing");
            ObjectName name = hotbind.listenerOnPort(port, mode);

            // bad arguments: the operator's input, nothing done
            assertFailure(IllegalArgumentException.class, "is not an address",
                    () -> hotbind.invoke(name, "rebindTo", new Object[] {"localhost:port"}, STRING));
            // JConsole pre-fills 0, and sends it as an Integer: refused rather than taken as "force-close
            // everything now"
            for (Object zero : new Object[] {0L, 0}) {
                assertFailure(IllegalArgumentException.class, "timeoutMillis must be from 1 to 86400000",
                        () -> hotbind.invoke(name, "drain", new Object[] {zero}, LONG));
            }
            assertFailure(IllegalArgumentException.class, "timeoutMillis must be a whole number",
                    () -> hotbind.invoke(name, "drain", new Object[] {"soon"}, LONG));
            assertEquals("BOUND", hotbind.attribute(name, "State"));
            connect(port);

            // refusals: the listener's state
            hotbind.invoke(name, "unbind");
            assertFailure(IllegalStateException.class, "is already unbound", () -> hotbind.invoke(name, "unbind"));
            assertEquals("UNBOUND", hotbind.attribute(name, "State"));
            hotbind.invoke(name, "close");
            assertFailure(InstanceNotFoundException.class, null, () -> hotbind.invoke(name, "rebind"));
        }
    }

    /** The application's listener takes a client there (the holding server only holds it). */
    private static void connect(int port) throws IOException {
        new Socket(InetAddress.getLoopbackAddress(), port).close();
    }

    private interface Call {
        Object run() throws Exception;
    }

    /** {@code call} fails with {@code kind} (inside the MBeanException JMX wraps an operation's failure in). */
    private static void assertFailure(Class<? extends Exception> kind, String message, Call call) {
        Exception failed = assertThrows(Exception.class, call::run);
        Throwable cause = failed instanceof MBeanException m ? m.getTargetException() : failed;
        assertEquals(kind, cause.getClass(), String.valueOf(failed));
        if (message != null) {
            assertTrue(cause.getMessage().contains(message), cause.getMessage());
        }
    }
}
