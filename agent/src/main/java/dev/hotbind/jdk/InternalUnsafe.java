package dev.hotbind.jdk;

import java.lang.invoke.MethodHandle;
import java.security.ProtectionDomain;

/**
 * {@code jdk.internal.misc.Unsafe.defineClass}: defines a class straight into the boot class loader,
 * with no temporary jar and no change to the boot class path (which would make the JVM stop sharing,
 * CDS, the classes of every other loader). Unavailable on a JDK that renamed it: callers then fall back
 * to a jar on the boot class path.
 */
public final class InternalUnsafe {
    public static final Availability AVAILABILITY;
    private static final Object UNSAFE;
    private static final MethodHandle DEFINE_CLASS;

    static {
        Resolver r = new Resolver("jdk.internal.misc.Unsafe");
        Class<?> unsafeClass = r.type("jdk.internal.misc.Unsafe");
        MethodHandle getUnsafe = r.staticMethod(unsafeClass, "getUnsafe", unsafeClass);
        DEFINE_CLASS = r.method(unsafeClass, "defineClass", Class.class, String.class, byte[].class, int.class,
                int.class, ClassLoader.class, ProtectionDomain.class);
        Object unsafe = null;
        if (getUnsafe != null) {
            try {
                unsafe = getUnsafe.invoke();
            } catch (Throwable t) {
                r.refuse("getUnsafe failed: " + t);
            }
        }
        UNSAFE = unsafe;
        AVAILABILITY = r.availability();
    }

    private InternalUnsafe() {
    }

    /**
     * Defines {@code classFile} as {@code name} in the boot class loader, without a protection domain.
     *
     * @throws IllegalStateException when unavailable here
     * @throws LinkageError when the class is already defined there, or its class file is rejected
     */
    public static Class<?> defineInBootLoader(String name, byte[] classFile) {
        AVAILABILITY.require();
        try {
            return (Class<?>) DEFINE_CLASS.invoke(UNSAFE, name, classFile, 0, classFile.length, (ClassLoader) null,
                    (ProtectionDomain) null);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("Unsafe.defineClass failed for " + name, t);
        }
    }
}
