package dev.hotbind.it.rebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.hotbind.it.rebind.Rebinds.summary;

import dev.hotbind.it.apps.AcceptModelsApp;
import dev.hotbind.it.harness.Cli;
import dev.hotbind.it.harness.ChurnClient;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.ListeningSockets;
import dev.hotbind.it.harness.Poll;
import dev.hotbind.it.harness.TargetJvm;
import java.util.List;
import javax.management.MBeanException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * setBacklog over JMX (and set-backlog from the CLI) on a live listener under continuous connection
 * churn: the kernel's limit for the socket, as {@code ss} reads it, follows at once, capped at
 * net.core.somaxconn; nothing is refused or reset; a rebind keeps it; bad values and wrong states are
 * refused with the listener untouched. A blocking ServerSocket and a ServerSocketChannel, on every JDK,
 * with -javaagent and after an attach (where the backlog bound before hotbind is unknown until set).
 */
class SetBacklogIT {
    private static final String INT = Integer.class.getName();

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("dev.hotbind.it.DemoTarget#everyJdkAndMode")
    void theAcceptQueueLimitChangesInPlaceUnderChurn(Jdk jdk, TargetJvm.Mode mode) throws Exception {
        long somaxconn = somaxconn();
        int big = (int) Math.min(65_535, somaxconn + 1);
        long capped = Math.min(big, somaxconn);
        try (TargetJvm target = TargetJvm.on(jdk).mode(mode).start("accept-models ready",
                AcceptModelsApp.class.getName())) {
            HotbindJmx hotbind = target.hotbind();
            for (String model : List.of("socket", "channel")) {
                int port = target.awaitPort(model);
                ObjectName listener = hotbind.listenerOnPort(port, mode);
                assertEquals(50L, ListeningSockets.backlogOf(port), model + ": the JDK's default backlog");
                assertEquals(mode == TargetJvm.Mode.ATTACH ? -1L : 50L, hotbind.attribute(listener, "Backlog"),
                        model + ": known when hotbind saw the bind");
                try (ChurnClient churn = ChurnClient.start(() -> port, ChurnClient.ONE_BYTE, 2)) {
                    churn.awaitSuccesses(10);
                    CompositeData answer = setBacklog(hotbind, listener, 7);
                    assertEquals(mode == TargetJvm.Mode.ATTACH ? -1L : 50L, answer.get("before"), summary(answer));
                    assertEquals(7L, answer.get("effective"), summary(answer));
                    assertTrue(summary(answer).contains("accept queue limit " + (mode == TargetJvm.Mode.ATTACH
                            ? "(unknown: bound before hotbind was attached)" : "50") + " -> 7"), summary(answer));
                    assertEquals(7L, ListeningSockets.backlogOf(port), model + ": the kernel's limit; " + summary(answer));
                    assertEquals(7L, hotbind.attribute(listener, "Backlog"));
                    assertEquals(7, hotbind.attribute(listener, "RequestedBacklog"));
                    churn.awaitSuccesses(10);

                    answer = setBacklog(hotbind, listener, big);
                    assertEquals(capped, ListeningSockets.backlogOf(port), summary(answer));
                    assertEquals(capped, hotbind.attribute(listener, "Backlog"), summary(answer));
                    assertEquals(capped, answer.get("effective"), summary(answer));
                    assertEquals(somaxconn, answer.get("somaxconn"), summary(answer));
                    assertTrue(big == capped || summary(answer).contains("(" + big + " asked, capped by "
                            + "net.core.somaxconn=" + somaxconn + ")"), summary(answer));
                    for (int bad : new int[] {0, -1, 65_536}) {
                        MBeanException refused = assertThrows(MBeanException.class,
                                () -> setBacklog(hotbind, listener, bad));
                        assertTrue(refused.getTargetException() instanceof IllegalArgumentException
                                && refused.getMessage().contains("out of range: 1 to 65535"), refused.toString());
                    }
                    assertEquals(capped, ListeningSockets.backlogOf(port), "a refused value changes nothing");

                    answer = hotbind.invoke(listener, "rebind");
                    assertEquals("renewed", answer.get("kind"), summary(answer));
                    assertEquals(capped, ListeningSockets.backlogOf(port), "a rebind keeps it: " + summary(answer));
                    churn.awaitSuccesses(10);
                    churn.close();
                    System.out.println("SetBacklogIT " + jdk + " " + mode + " " + model + ": " + churn);
                    assertEquals(0, churn.failures(), model + ": nothing refused, reset, left unanswered or "
                            + "otherwise failed; " + churn);
                }

                hotbind.invoke(listener, "unbind");
                MBeanException unbound = assertThrows(MBeanException.class, () -> setBacklog(hotbind, listener, 9));
                assertTrue(unbound.getTargetException() instanceof IllegalStateException
                        && unbound.getMessage().contains("is UNBOUND"), unbound.toString());
                hotbind.invoke(listener, "rebind");
                assertEquals(capped, ListeningSockets.backlogOf(port), model + ": resumed with the backlog it was given");
            }

            int socketPort = target.awaitPort("socket");
            long id = (Long) hotbind.attribute(hotbind.listenerOnPort(socketPort), "Id");
            Cli.Result cli = Cli.run(jdk, "set-backlog", Long.toString(target.pid()), Long.toString(id), "9");
            assertEquals(0, cli.exitCode(), cli.toString());
            assertTrue(cli.out().contains("-> 9\nin place: listen(2) again on the same socket"), cli.toString());
            assertEquals(9L, ListeningSockets.backlogOf(socketPort), cli.toString());
            Cli.Result json = Cli.run(jdk, "set-backlog", Long.toString(target.pid()), Long.toString(id), "11", "--json");
            assertEquals(0, json.exitCode(), json.toString());
            com.google.gson.JsonObject fields = com.google.gson.JsonParser.parseString(json.out()).getAsJsonObject();
            assertEquals(9L, fields.get("before").getAsLong(), json.toString());
            assertEquals(11L, fields.get("effective").getAsLong(), json.toString());
            assertEquals(11L, ListeningSockets.backlogOf(socketPort), json.toString());

            ObjectName connector = Poll.value("the JVM's own JMX connector", () -> {
                for (ObjectName name : hotbind.listenerNames()) {
                    if (Boolean.TRUE.equals(hotbind.attribute(name, "JvmManagementConnector"))) {
                        return name;
                    }
                }
                return null;
            });
            MBeanException refused = assertThrows(MBeanException.class, () -> setBacklog(hotbind, connector, 9));
            assertTrue(refused.getTargetException() instanceof IllegalStateException
                    && refused.getMessage().contains("the JVM's own JMX connector"), refused.toString());
            assertTrue(!target.output().contains("ACCEPT-FAILURE"), target.output());
        }
    }

    /** One read() at offset 0: a sysctl file read in pieces answers "4" for 4096. */
    private static long somaxconn() throws java.io.IOException {
        try (java.io.InputStream in = new java.io.FileInputStream("/proc/sys/net/core/somaxconn")) {
            byte[] buffer = new byte[32];
            int n = in.read(buffer);
            return Long.parseLong(new String(buffer, 0, n, java.nio.charset.StandardCharsets.US_ASCII).trim());
        }
    }

    private static CompositeData setBacklog(HotbindJmx hotbind, ObjectName listener, int backlog) throws Exception {
        return hotbind.invoke(listener, "setBacklog", new Object[] {backlog}, new String[] {INT});
    }

}
