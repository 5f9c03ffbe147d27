package dev.hotbind.entry;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The {@code dev.hotbind.bootstrap} classes of the agent jar, and the fallback way of putting them on
 * the bootstrap class path (a small temporary jar) where {@link BootstrapClasses} cannot define them
 * directly. The fallback costs start-up time: creating the temporary file initialises
 * {@code SecureRandom} and the security providers, and appending to the boot class path makes the JVM
 * stop sharing (CDS) the classes of every other loader.
 */
final class BootstrapJar {
    private static final String PACKAGE_PATH = "dev/hotbind/bootstrap/";

    private BootstrapJar() {
    }

    /** Class file bytes by binary class name, in the jar's order. */
    static Map<String, byte[]> classes() throws IOException {
        Path agentJar = agentJar();
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarFile source = new JarFile(agentJar.toFile(), false)) {
            Enumeration<JarEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                String path = entry.getName();
                if (path.startsWith(PACKAGE_PATH) && path.endsWith(".class")) {
                    try (InputStream in = source.getInputStream(entry)) {
                        classes.put(path.substring(0, path.length() - ".class".length()).replace('/', '.'),
                                in.readAllBytes());
                    }
                }
            }
        }
        if (classes.isEmpty()) {
            throw new IOException("no " + PACKAGE_PATH + " classes in " + agentJar);
        }
        return classes;
    }

    static void append(Instrumentation instrumentation, Map<String, byte[]> classes) throws IOException {
        Path bootstrapJar = Files.createTempFile("hotbind-bootstrap-", ".jar");
        bootstrapJar.toFile().deleteOnExit();
        try (JarOutputStream target = new JarOutputStream(Files.newOutputStream(bootstrapJar))) {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                target.putNextEntry(new JarEntry(c.getKey().replace('.', '/') + ".class"));
                target.write(c.getValue());
                target.closeEntry();
            }
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(bootstrapJar.toFile()));
        deleteOnceLoaded(bootstrapJar, classes.keySet());
    }

    /**
     * Loads every class of the jar through the boot loader, which keeps the jar open from then on, and
     * deletes the file at once: a JVM killed with SIGKILL (no exit hooks) must not leave it behind.
     */
    private static void deleteOnceLoaded(Path bootstrapJar, Iterable<String> names) {
        try {
            for (String name : names) {
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
