package dev.hotbind.entry;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Puts {@code dev.hotbind.bootstrap} on the bootstrap class path, where advice inlined into
 * {@code java.base} can reach it: copies those classes from the agent jar into a small temporary jar.
 */
final class BootstrapJar {
    private static final String PACKAGE_PATH = "dev/hotbind/bootstrap/";

    private BootstrapJar() {
    }

    static void append(Instrumentation instrumentation) throws IOException {
        Path agentJar = agentJar();
        Path bootstrapJar = Files.createTempFile("hotbind-bootstrap-", ".jar");
        bootstrapJar.toFile().deleteOnExit();
        List<String> copied = new ArrayList<>();
        try (JarFile source = new JarFile(agentJar.toFile());
             JarOutputStream target = new JarOutputStream(Files.newOutputStream(bootstrapJar))) {
            Enumeration<JarEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                if (entry.getName().startsWith(PACKAGE_PATH) && entry.getName().endsWith(".class")) {
                    target.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = source.getInputStream(entry)) {
                        in.transferTo(target);
                    }
                    target.closeEntry();
                    copied.add(entry.getName());
                }
            }
        }
        if (copied.isEmpty()) {
            throw new IOException("no " + PACKAGE_PATH + " classes in " + agentJar);
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar.toFile()));
        deleteOnceLoaded(bootstrapJar, copied);
    }

    /**
     * Loads every class of the jar through the boot loader, which keeps the jar open from then on, and
     * deletes the file at once: a JVM killed with SIGKILL (no exit hooks) must not leave it behind.
     */
    private static void deleteOnceLoaded(Path bootstrapJar, List<String> entries) {
        try {
            for (String entry : entries) {
                String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                Class.forName(name, false, null);
            }
            Files.delete(bootstrapJar);
        } catch (ClassNotFoundException | IOException | RuntimeException e) {
            // the JVM's exit removes it then, unless it is killed
        }
    }

    private static Path agentJar() throws IOException {
        try {
            File file = new File(HotbindAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!file.isFile()) {
                throw new IOException("hotbind must run from its jar, not from " + file);
            }
            return file.toPath();
        } catch (java.net.URISyntaxException | SecurityException | NullPointerException e) {
            throw new IOException("cannot locate the hotbind agent jar: " + e, e);
        }
    }
}
