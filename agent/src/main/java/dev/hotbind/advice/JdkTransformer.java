package dev.hotbind.advice;

import dev.hotbind.startup.StartupPhases;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Weaves the advice into the JDK classes it is given (the four socket classes, and ProcessBuilder when
 * inherited sockets are in use) as they are loaded or retransformed, and into nothing else: any other
 * class costs one map lookup on its name.
 */
final class JdkTransformer implements ClassFileTransformer {
    private final Map<String, Weaving> byInternalName = new HashMap<>();
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final StartupPhases phases;

    JdkTransformer(StartupPhases phases, List<Weaving> weavings) {
        this.phases = phases;
        for (Weaving weaving : weavings) {
            byInternalName.put(weaving.internalName(), weaving);
        }
    }

    boolean instruments(Class<?> type) {
        return type.getClassLoader() == null && byInternalName.containsKey(type.getName().replace('.', '/'));
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        Weaving weaving = loader == null && className != null ? byInternalName.get(className) : null;
        if (weaving == null) {
            return null;
        }
        long begun = System.nanoTime();
        try {
            byte[] woven = Weaver.weave(weaving, classfileBuffer);
            // the first class woven also pays for loading ASM: the phases show where that happened
            phases.add("weave " + weaving.typeName() + (classBeingRedefined == null ? " at load" : " (retransform)")
                    + " on " + Thread.currentThread().getName(), System.nanoTime() - begun);
            return woven;
        } catch (Throwable t) {
            failed(weaving.typeName(), t);
            return null;
        }
    }

    /** Reports a class that could not be instrumented, once; the other classes keep working. */
    void failed(String typeName, Throwable cause) {
        if (reported.add(typeName)) {
            System.err.println("hotbind: could not instrument " + typeName + " (" + cause
                    + "); listeners of that kind are not seen, everything else keeps working");
        }
    }
}
