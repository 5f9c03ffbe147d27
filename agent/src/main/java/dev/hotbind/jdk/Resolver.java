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

    /** One lookup in the owner's private scope. */
    private interface Member<T> {
        T find(MethodHandles.Lookup lookup) throws ReflectiveOperationException;
    }

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
        return resolve(owner, lookup -> lookup.findVarHandle(owner, name, type));
    }

    /** A member some JDKs lack: null without making the structure unavailable. */
    VarHandle optionalField(Class<?> owner, String name, Class<?> type) {
        return resolve(owner, lookup -> {
            try {
                return lookup.findVarHandle(owner, name, type);
            } catch (NoSuchFieldException absentOnThisJdk) {
                return null;
            }
        });
    }

    MethodHandle staticMethod(Class<?> owner, String name, Class<?> returns, Class<?>... parameters) {
        return resolve(owner, lookup -> lookup.findStatic(owner, name, MethodType.methodType(returns, parameters)));
    }

    MethodHandle method(Class<?> owner, String name, Class<?> returns, Class<?>... parameters) {
        return resolve(owner, lookup -> lookup.findVirtual(owner, name, MethodType.methodType(returns, parameters)));
    }

    /** A JDK constant read by name (an {@code IOStatus} code), so a renumbering cannot fool us; 0 if absent. */
    int constant(Class<?> owner, String name) {
        Integer value = resolve(owner, lookup -> (Integer) lookup.findStaticVarHandle(owner, name, int.class).get());
        return value == null ? 0 : value;
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

    /** Nothing more is looked up once one member failed (or its owner class was not found). */
    private <T> T resolve(Class<?> owner, Member<T> member) {
        if (failure != null || owner == null) {
            return failed(null);
        }
        try {
            return member.find(MethodHandles.privateLookupIn(owner, MethodHandles.lookup()));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return failed(e);
        }
    }

    private <T> T failed(Throwable cause) {
        if (failure == null) {
            failure = String.valueOf(cause);
        }
        return null;
    }
}
