package dev.hotbind.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import org.junit.jupiter.api.Test;

/**
 * Each advice matcher picks exactly the JDK methods it is meant for, on JDK 17 and on JDK 25, with
 * the classes described as the agent describes them (from their class files), and each class weaves.
 */
class WeavingTest {
    private static final Path JDK_25 = Path.of(System.getProperty("hotbind.jdk25",
            "/usr/lib/jvm/temurin-25-jdk-amd64"));

    /** Advice class, then the JDK class, then the methods it must be woven into. */
    private static final Map<String, Set<String>> EXPECTED = Map.of(
            "BindAdvice java.net.ServerSocket", Set.of("bind(java.net.SocketAddress,int)"),
            "SocketAcceptAdvice java.net.ServerSocket", Set.of("implAccept(java.net.Socket)"),
            "ClosedAcceptAdvice java.net.ServerSocket", Set.of("accept()"),
            "ServerCloseAdvice java.net.ServerSocket", Set.of("close()"),
            "BindAdvice sun.nio.ch.ServerSocketChannelImpl", Set.of("bind(java.net.SocketAddress,int)"),
            "ChannelAcceptAdvice sun.nio.ch.ServerSocketChannelImpl", Set.of("accept()", "blockingAccept(long)"),
            "ServerCloseAdvice sun.nio.ch.ServerSocketChannelImpl", Set.of("implCloseSelectableChannel()"),
            "ConnectionCloseAdvice java.net.Socket", Set.of("close()"),
            "ConnectionCloseAdvice sun.nio.ch.SocketChannelImpl", Set.of("implCloseSelectableChannel()"),
            "ChildProcessAdvice java.lang.ProcessBuilder", Set.of("start(java.lang.ProcessBuilder$Redirect[])"));

    @Test
    void matchersPickTheIntendedMethodsOnTheBuildJdk() throws IOException {
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of())) {
            assertMatchesAndWeaves(jrt);
        }
    }

    @Test
    void matchersPickTheIntendedMethodsOnJdk25() throws IOException {
        assertTrue(Files.isDirectory(JDK_25), "JDK 25 not found at " + JDK_25 + " (set -Dhotbind.jdk25)");
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"),
                Map.of("java.home", JDK_25.toString()))) {
            assertMatchesAndWeaves(jrt);
        }
    }

    private static void assertMatchesAndWeaves(FileSystem jrt) throws IOException {
        int checked = 0;
        for (Weaving weaving : Weaving.ALL) {
            byte[] classFile = Files.readAllBytes(jrt.getPath("modules", "java.base", weaving.internalName() + ".class"));
            TypeDescription type = Weaver.describe(weaving.typeName(), classFile);
            for (Weaving.On on : weaving.advice()) {
                String key = on.adviceClass().getSimpleName() + " " + weaving.typeName();
                Set<String> matched = new TreeSet<>();
                for (MethodDescription.InDefinedShape method : type.getDeclaredMethods()) {
                    if (on.methods().matches(method)) {
                        matched.add(method.getName() + "(" + String.join(",", method.getParameters().asTypeList()
                                .asErasures().stream().map(TypeDescription::getActualName).toList()) + ")");
                    }
                }
                assertEquals(new TreeSet<>(EXPECTED.get(key)), matched, key + " in " + jrt);
                checked++;
            }
            byte[] woven = new Weaver(weaving).weave(classFile);
            assertFalse(Arrays.equals(classFile, woven), weaving.typeName() + " unchanged by weaving");
        }
        assertEquals(EXPECTED.size(), checked, "advice declared in Weaving.ALL");
    }
}
