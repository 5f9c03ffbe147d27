package dev.hotbind.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.rmi.ConnectException;
import org.junit.jupiter.api.Test;

/** How the command line lays out what it prints. */
class FormatTest {
    @Test
    void tableAlignsColumnsAndLeavesTheLastUnpadded() {
        Table table = new Table("ID", "ADDRESS", "THREADS")
                .row(1, "0.0.0.0:8080", "acceptor-1, acceptor-2")
                .row(12, "[::1]:9", null);
        assertEquals("ID  ADDRESS       THREADS\n"
                + "1   0.0.0.0:8080  acceptor-1, acceptor-2\n"
                + "12  [::1]:9       -\n", table.toString());
        assertEquals(2, table.size());
        assertThrows(IllegalArgumentException.class, () -> table.row(1, 2));
    }

    @Test
    void connectionAgesReadAtAGlance() {
        assertEquals("?", ListenerCommands.age(-1));
        assertEquals("850ms", ListenerCommands.age(850));
        assertEquals("12.5s", ListenerCommands.age(12_500));
        assertEquals("3m07s", ListenerCommands.age(187_000));
        assertEquals("2h05m", ListenerCommands.age(7_500_000));
    }

    @Test
    void remoteFailuresBecomeOneLine() {
        Exception nested = new ConnectException("Connection refused to host: 127.0.0.1",
                new java.net.ConnectException("Connection refused"));
        assertEquals("ConnectException: Connection refused", CliError.rootCause(nested));
        assertEquals("IOException: a b", CliError.rootCause(new IOException("a\n\tb")));
    }

    @Test
    void durationsAreParsedAsAgentOptionsParseThem() throws CliError {
        Args args = new Args("drain", "<pid> <listenerId> <timeout>", java.util.List.of("500ms", "30s", "2m"),
                false);
        assertEquals(500, args.durationMillis(0, "timeout"));
        assertEquals(30_000, args.durationMillis(1, "timeout"));
        assertEquals(120_000, args.durationMillis(2, "timeout"));
    }

    @Test
    void jsonEscapesTextAndMapsArraysAndMaps() {
        java.util.Map<String, Object> doc = new java.util.LinkedHashMap<>();
        doc.put("name", "a \"b\"\n\\c\u0001");
        doc.put("n", 42L);
        doc.put("ok", true);
        doc.put("none", null);
        doc.put("threads", new String[] {"x", "y"});
        doc.put("rows", java.util.List.of(java.util.Map.of("id", 1)));
        assertEquals("{\"name\":\"a \\\"b\\\"\\n\\\\c\\u0001\",\"n\":42,\"ok\":true,\"none\":null,"
                + "\"threads\":[\"x\",\"y\"],\"rows\":[{\"id\":1}]}\n", Json.of(doc));
    }

    @Test
    void aTargetNameMatchesAsJcmdMatchesIt() {
        assertEquals("dev.example.Server", Targets.mainOf("dev.example.Server --port 8080"));
        assertEquals("/opt/app/app.jar", Targets.mainOf("/opt/app/app.jar serve"));
        assertTrue(Targets.matches("dev.example.Server", "dev.example.Server"));
        assertTrue(Targets.matches("dev.example.Server", "Server"));
        assertTrue(Targets.matches("/opt/app/app.jar", "app.jar"));
        assertTrue(Targets.matches("/opt/app/app.jar", "/opt/app/app.jar"));
        assertFalse(Targets.matches("dev.example.MyServer", "Server"));
        assertFalse(Targets.matches("", "Server"));
    }

    @Test
    void anOpenTableIsAJsonArrayOfItsRowsEvenThoughItIsAlsoAMap() throws Exception {
        javax.management.openmbean.CompositeType row = new javax.management.openmbean.CompositeType("Row", "a row",
                new String[] {"id", "name"}, new String[] {"id", "name"},
                new javax.management.openmbean.OpenType<?>[] {javax.management.openmbean.SimpleType.LONG,
                    javax.management.openmbean.SimpleType.STRING});
        javax.management.openmbean.TabularDataSupport table = new javax.management.openmbean.TabularDataSupport(
                new javax.management.openmbean.TabularType("Table", "a table", row, new String[] {"id"}));
        assertEquals("[]\n", Json.of(table));
        table.put(new javax.management.openmbean.CompositeDataSupport(row, new String[] {"id", "name"},
                new Object[] {7L, "x"}));
        assertEquals("[{\"id\":7,\"name\":\"x\"}]\n", Json.of(table));
    }
}
