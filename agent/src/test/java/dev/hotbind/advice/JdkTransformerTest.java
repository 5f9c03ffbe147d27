package dev.hotbind.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.startup.StartupPhases;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The transformer weaves the four JDK classes only, and reports a class it cannot weave once. */
class JdkTransformerTest {

    @Test
    void weavesOnlyBootLoaderClassesOfTheFourAndRecordsTheTime() throws Exception {
        StartupPhases phases = new StartupPhases(System.nanoTime());
        JdkTransformer transformer = new JdkTransformer(phases, Weaving.SOCKETS);
        byte[] socket;
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of())) {
            socket = Files.readAllBytes(jrt.getPath("modules", "java.base", "java/net/Socket.class"));
        }
        assertNotNull(transformer.transform(null, "java/net/Socket", null, null, socket));
        assertNull(transformer.transform(getClass().getClassLoader(), "java/net/Socket", null, null, socket),
                "a class of that name from another loader is not the JDK's");
        assertNull(transformer.transform(null, "java/net/SocketImpl", null, null, socket));
        assertEquals(1, phases.lines().length);
        assertTrue(phases.lines()[0].startsWith("weave java.net.Socket at load on "), phases.lines()[0]);
    }

    @Test
    void aClassThatFailsIsReportedOnceAndLeftAsItWas() {
        JdkTransformer transformer = new JdkTransformer(new StartupPhases(System.nanoTime()), Weaving.SOCKETS);
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            byte[] broken = {(byte) 0xCA, (byte) 0xFE, 0, 1};
            assertNull(transformer.transform(null, "sun/nio/ch/SocketChannelImpl", null, null, broken));
            assertNull(transformer.transform(null, "sun/nio/ch/SocketChannelImpl", Object.class, null, broken));
        } finally {
            System.setErr(stderr);
        }
        String report = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, report.split("could not instrument sun.nio.ch.SocketChannelImpl", -1).length - 1, report);
    }
}
