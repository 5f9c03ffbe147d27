package dev.hotbind.it.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A JDK the target JVMs run on. Tests run on every one of {@link #all()}. */
public record Jdk(int feature, Path home) {

    public Path java() {
        return home.resolve("bin").resolve("java");
    }

    @Override
    public String toString() {
        return "JDK " + feature;
    }

    /**
     * JDK 17 and JDK 25: the one running the tests, and the others found beside it or named by env.
     * A missing one fails the run instead of quietly testing one JDK.
     */
    public static List<Jdk> all() {
        List<Jdk> found = new ArrayList<>();
        found.add(new Jdk(Runtime.version().feature(), Path.of(System.getProperty("java.home"))));
        for (int feature : new int[] {17, 25}) {
            if (found.stream().noneMatch(j -> j.feature() == feature)) {
                Jdk jdk = find(feature);
                if (jdk == null) {
                    throw new IllegalStateException("no JDK " + feature + " under /usr/lib/jvm: install one or name"
                            + " its home in HOTBIND_JDK" + feature + "; the tests run on JDK 17 and JDK 25");
                }
                found.add(jdk);
            }
        }
        return found;
    }

    public static Jdk find(int feature) {
        String env = System.getenv("HOTBIND_JDK" + feature);
        if (env != null && Files.isExecutable(Path.of(env, "bin", "java"))) {
            return new Jdk(feature, Path.of(env));
        }
        try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
            return homes.filter(h -> Files.isExecutable(h.resolve("bin/java")))
                    .filter(h -> featureOf(h) == feature)
                    .sorted()
                    .map(h -> new Jdk(feature, h))
                    .findFirst().orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static int featureOf(Path home) {
        try {
            for (String line : Files.readAllLines(home.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String v = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    return Integer.parseInt(v.split("[.+-]")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
