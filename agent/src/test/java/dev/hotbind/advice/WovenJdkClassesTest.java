package dev.hotbind.advice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.bootstrap.SocketEvents;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The woven classes of the JDK running the tests (surefire runs them on JDK 17 and on JDK 25) pass the
 * JVM's own verifier and behave: a JVM with them patched into java.base, Hooks on the boot class path
 * and {@code -XX:+BytecodeVerificationLocal} (which verifies the boot loader's classes too) runs
 * {@link WovenJdkProbe}, which sees each Hooks call made where and as it must be.
 */
class WovenJdkClassesTest {

    @Test
    void wovenClassesVerifyAndCallEveryHook(@TempDir Path temp) throws Exception {
        Path patch = temp.resolve("java.base");
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of())) {
            for (Weaving weaving : Weaving.ALL) {
                byte[] classFile = Files.readAllBytes(jrt.getPath("modules", "java.base", weaving.internalName() + ".class"));
                Path woven = patch.resolve(weaving.internalName() + ".class");
                Files.createDirectories(woven.getParent());
                Files.write(woven, Weaver.weave(weaving, classFile));
            }
        }
        Path boot = temp.resolve("boot");
        for (Class<?> bridge : List.of(Hooks.class, SocketEvents.class)) {
            Path target = boot.resolve(bridge.getName().replace('.', '/') + ".class");
            Files.createDirectories(target.getParent());
            Files.copy(classesOf(bridge).resolve(bridge.getName().replace('.', '/') + ".class"), target);
        }
        Path output = temp.resolve("probe.out");
        // java.base reads the unnamed modules, as it does in a JVM with a Java agent loaded
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal", "--patch-module", "java.base=" + patch,
                "--add-reads", "java.base=ALL-UNNAMED", "-Xbootclasspath/a:" + boot, "-cp", classesOf(WovenJdkProbe.class).toString(),
                WovenJdkProbe.class.getName())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        assertTrue(probe.waitFor(2, TimeUnit.MINUTES), "probe JVM still running");
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(0, probe.exitValue(), out);
        for (String line : List.of("ok bind, accept, close on both kinds", "ok bind retry on both kinds",
                "ok bind failures on both kinds", "ok accept failures", "ok child process", "probe done")) {
            assertTrue(out.contains(line + "\n"), line + " missing from:\n" + out);
        }
    }

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
