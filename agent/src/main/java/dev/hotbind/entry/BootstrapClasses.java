package dev.hotbind.entry;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.Map;

/**
 * Puts {@code dev.hotbind.bootstrap} into the boot class loader, where advice inlined into
 * {@code java.base} can reach it. Defined directly with the JDK's internal {@code Unsafe.defineClass}
 * (exported to hotbind alone by {@link JdkAccess}): no temporary file, no boot class path change, so
 * the JVM keeps sharing (CDS) the classes of the application's loaders and prints no warning about it.
 * Where that is unavailable, {@link BootstrapJar} appends a temporary jar instead.
 */
final class BootstrapClasses {
    static final String UNSAFE_PACKAGE = "jdk.internal.misc";

    private BootstrapClasses() {
    }

    static void define(Instrumentation instrumentation) throws IOException {
        Map<String, byte[]> classes = BootstrapJar.classes();
        try {
            Class<?> unsafeClass = Class.forName(UNSAFE_PACKAGE + ".Unsafe");
            Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
            Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                    ClassLoader.class, ProtectionDomain.class);
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                define.invoke(unsafe, c.getKey(), c.getValue(), 0, c.getValue().length, null, null);
            }
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            // a class already defined stays; the jar supplies the rest
            BootstrapJar.append(instrumentation, classes);
        }
    }
}
