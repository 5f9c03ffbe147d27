package dev.hotbind.advice;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.scaffold.InstrumentedType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites one JDK class file with its advice. Built on the first class hotbind instruments, not at
 * {@code premain}: a JVM that never touches a socket never loads this part of Byte Buddy. Everything is
 * described from class files (a lazily resolving type pool), never by reflection, so weaving loads no
 * JDK class and cannot recurse into the class being loaded.
 */
final class Weaver {
    /** Only method bodies change, and only the class's own methods are looked at: no hierarchy walk. */
    private static final ByteBuddy BYTE_BUDDY = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(Implementation.Context.Disabled.Factory.INSTANCE)
            .with(InstrumentedType.Factory.Default.FROZEN)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    private static final ClassFileLocator HOTBIND_CLASSES = ClassFileLocator.ForClassLoader.of(Weaver.class.getClassLoader());
    private static final TypePool ADVICE_POOL = TypePool.Default.WithLazyResolution.of(HOTBIND_CLASSES);

    private final Weaving weaving;
    private final AsmVisitorWrapper advice;

    Weaver(Weaving weaving) {
        this.weaving = weaving;
        List<AsmVisitorWrapper> wrappers = new ArrayList<>();
        for (Weaving.On on : weaving.advice()) {
            TypeDescription adviceType = ADVICE_POOL.describe(on.adviceClass().getName()).resolve();
            wrappers.add(Advice.to(adviceType, HOTBIND_CLASSES).on(on.methods()));
        }
        this.advice = new AsmVisitorWrapper.Compound(wrappers);
    }

    /** The class file with the advice woven in. */
    byte[] weave(byte[] classFile) {
        ClassFileLocator locator = locator(weaving.typeName(), classFile);
        TypePool pool = TypePool.Default.WithLazyResolution.of(locator);
        return BYTE_BUDDY.redefine(pool.describe(weaving.typeName()).resolve(), locator)
                .visit(advice)
                .make(pool)
                .getBytes();
    }

    /** The class as the advice matchers see it when weaving: described from its class file alone. */
    static TypeDescription describe(String typeName, byte[] classFile) {
        return TypePool.Default.WithLazyResolution.of(locator(typeName, classFile)).describe(typeName).resolve();
    }

    private static ClassFileLocator locator(String typeName, byte[] classFile) {
        return new ClassFileLocator.Compound(ClassFileLocator.Simple.of(typeName, classFile),
                ClassFileLocator.ForClassLoader.ofBootLoader());
    }
}
