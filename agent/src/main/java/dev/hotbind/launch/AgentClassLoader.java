package dev.hotbind.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.SecureClassLoader;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Loads hotbind's core from the {@value #CORE} folder of the agent jar, where the application class
 * loader, which has the jar on its class path, cannot see it. The core's classes therefore live in
 * this loader's unnamed module, and the {@code java.base} packages hotbind opens for its deep access
 * are opened to them alone: never to the application's own unnamed module, whose code keeps getting
 * {@code InaccessibleObjectException} as it would without hotbind.
 */
final class AgentClassLoader extends SecureClassLoader {
    static final String CORE = "inst/";
    /** On the boot class path once the agent has appended it; only the CLI reads it from the jar. */
    private static final String BOOTSTRAP_PACKAGE = "dev.hotbind.bootstrap.";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final String jarUrl;
    private final CodeSource codeSource;
    private final Manifest manifest;
    private final boolean bootstrapFromJar;

    /**
     * @param bootstrapFromJar whether {@code dev.hotbind.bootstrap} comes from the jar: true for the CLI,
     *     false in an agent, where those classes must come from the boot class path and nowhere else
     */
    AgentClassLoader(Path agentJar, boolean bootstrapFromJar) throws IOException {
        // the platform loader's parent chain reaches the boot class path, where the bootstrap bridge goes
        super("hotbind", ClassLoader.getPlatformClassLoader());
        this.jar = new JarFile(agentJar.toFile(), false);
        URL url = agentJar.toUri().toURL();
        this.jarUrl = url.toString();
        this.codeSource = new CodeSource(url, (Certificate[]) null);
        Manifest read = jar.getManifest();
        this.manifest = read == null ? new Manifest() : read;
        this.bootstrapFromJar = bootstrapFromJar;
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        String path = name.replace('.', '/') + ".class";
        JarEntry entry = jar.getJarEntry(CORE + path);
        if (entry == null && bootstrapFromJar && name.startsWith(BOOTSTRAP_PACKAGE)) {
            entry = jar.getJarEntry(path);
        }
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": " + e, e);
        }
        definePackageOf(name);
        return defineClass(name, bytes, 0, bytes.length, codeSource);
    }

    /** Defines the package with the jar's manifest, so the core reads its own Implementation-Version. */
    private void definePackageOf(String className) {
        int dot = className.lastIndexOf('.');
        if (dot < 0) {
            return;
        }
        String name = className.substring(0, dot);
        if (getDefinedPackage(name) != null) {
            return;
        }
        Attributes main = manifest.getMainAttributes();
        try {
            definePackage(name, null, null, null, main.getValue(Attributes.Name.IMPLEMENTATION_TITLE),
                    main.getValue(Attributes.Name.IMPLEMENTATION_VERSION), null, null);
        } catch (IllegalArgumentException definedByAnotherThreadMeanwhile) {
            // parallel-capable: two threads may race to define the same package; either one is right
        }
    }

    /** The core's resources are found as its classes are, under inst/. */
    @Override
    protected URL findResource(String name) {
        if (jar.getJarEntry(CORE + name) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + CORE + name);
        } catch (MalformedURLException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }
}
