package dev.hotbind.jdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Deep reflection is this package's alone: a new JDK renames a member in one place, not three. */
class SourcesTest {
    private static final Pattern DEEP_REFLECTION =
            Pattern.compile("\\b(setAccessible|getDeclaredField|getDeclaredMethod|privateLookupIn|findVarHandle"
                    + "|findStaticVarHandle|redefineModule)\\b");
    private static final Path SOURCES = Path.of("src/main/java");
    private static final Path JDK_PACKAGE = SOURCES.resolve("dev/hotbind/jdk");

    @Test
    void noDeepReflectionOutsideTheJdkPackage() throws IOException {
        assertTrue(Files.isDirectory(JDK_PACKAGE), "run from the agent module: " + Path.of("").toAbsolutePath());
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                if (file.startsWith(JDK_PACKAGE)) {
                    continue;
                }
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (DEEP_REFLECTION.matcher(lines.get(i)).find()) {
                        found.add(file + ":" + (i + 1) + ": " + lines.get(i).trim());
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }
}
