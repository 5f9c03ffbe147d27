package dev.hotbind.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;

/**
 * Resolves the private members of one JDK structure by name, each once, for the class that holds its
 * handles. A member that does not resolve answers null and makes the whole structure unavailable with
 * the first failure as the reason, so a half-resolved structure is never used.
 */
final class Resolver {
    private final String structure;
    private String failure;

    Resolver(String structure) {
        this.structure = structure;
    }

    Class<?> type(String name) {
        if (failure != null) {
            return null;
        }
        try {
            return Class.forName(name, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return failed(e);
        }
    }

    VarHandle field(Class<?> owner, String name, Class<?> type) {
        if (failure != null || owner == null) {
            return failed(null);
        }
        try {
            return lookupIn(owner).findVarHandle(owner, name, type);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return failed(e);
        }
    }

    /** A member some JDKs lack: null without making the structure unavailable. */
    VarHandle optionalField(Class<?> owner, String name, Class<?> type) {
        if (failure != null || owner == null) {
            return null;
        }
        try {
            return lookupIn(owner).findVarHandle(owner, name, type);
        } catch (NoSuchFieldException absentOnThisJdk) {
            return null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return failed(e);
        }
    }

    MethodHandle staticMethod(Class<?> owner, String name, Class<?> returns, Class<?>... parameters) {
        if (failure != null || owner == null) {
            return failed(null);
        }
        try {
            return lookupIn(owner).findStatic(owner, name, MethodType.methodType(returns, parameters));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return failed(e);
        }
    }

    MethodHandle method(Class<?> owner, String name, Class<?> returns, Class<?>... parameters) {
        if (failure != null || owner == null) {
            return failed(null);
        }
        try {
            return lookupIn(owner).findVirtual(owner, name, MethodType.methodType(returns, parameters));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return failed(e);
        }
    }

    /** A JDK constant read by name (an {@code IOStatus} code), so a renumbering cannot fool us. */
    int constant(Class<?> owner, String name) {
        if (failure != null || owner == null) {
            failed(null);
            return 0;
        }
        try {
            return (int) lookupIn(owner).findStaticVarHandle(owner, name, int.class).get();
        } catch (ReflectiveOperationException | RuntimeException e) {
            failed(e);
            return 0;
        }
    }

    /** Marks the structure unavailable for a reason found outside member lookup (the operating system). */
    void refuse(String reason) {
        if (failure == null) {
            failure = reason;
        }
    }

    Availability availability() {
        return failure == null ? Availability.AVAILABLE
                : Availability.unavailable(structure + " is unavailable in this JVM (" + failure + ")");
    }

    private static MethodHandles.Lookup lookupIn(Class<?> owner) throws IllegalAccessException {
        return MethodHandles.privateLookupIn(owner, MethodHandles.lookup());
    }

    private <T> T failed(Throwable cause) {
        if (failure == null) {
            failure = String.valueOf(cause);
        }
        return null;
    }
}
