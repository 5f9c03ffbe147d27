package dev.hotbind.entry;

import dev.hotbind.jdk.InternalUnsafe;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.Map;

/**
 * Puts {@code dev.hotbind.bootstrap} into the boot class loader, where advice inlined into
 * {@code java.base} can reach it. Defined directly with the JDK's internal {@code Unsafe.defineClass}
 * ({@link InternalUnsafe}): no temporary file, no boot class path change, so the JVM keeps sharing (CDS)
 * the classes of the application's loaders and prints no warning about it. Where that is unavailable,
 * {@link BootstrapJar} appends a temporary jar instead.
 */
final class BootstrapClasses {
    private BootstrapClasses() {
    }

    static void define(Instrumentation instrumentation) throws IOException {
        Map<String, byte[]> classes = BootstrapJar.classes();
        try {
            for (Map.Entry<String, byte[]> c : classes.entrySet()) {
                InternalUnsafe.defineInBootLoader(c.getKey(), c.getValue());
            }
        } catch (RuntimeException | LinkageError e) {
            // a class already defined stays; the jar supplies the rest
            BootstrapJar.append(instrumentation, classes);
        }
    }
}
