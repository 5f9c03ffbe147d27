package dev.hotbind.advice;

import java.util.HashMap;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites one JDK class file with its advice (ASM, about 30 classes, loaded on the first class woven).
 * Only the advised methods' code changes; every other method is copied as it is. Nothing is computed
 * that needs another class (stack map frames are written, not merged), so weaving loads no JDK class
 * and cannot recurse into the class being loaded.
 */
final class Weaver {
    private Weaver() {
    }

    /** The class file with the advice woven in. */
    static byte[] weave(Weaving weaving, byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        Map<String, Integer> maxLocals = maxLocals(weaving, reader);
        ClassWriter writer = new ClassWriter(reader, 0);
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                MethodVisitor method = super.visitMethod(access, name, descriptor, signature, exceptions);
                Integer locals = maxLocals.get(name + descriptor);
                return locals == null ? method : new AdvisedMethod(method, weaving.adviceFor(name, descriptor),
                        weaving.internalName(), descriptor, locals);
            }
        }, ClassReader.EXPAND_FRAMES);
        return writer.toByteArray();
    }

    /** The {@code max_locals} of each advised method that has code: where the locals of ours can begin. */
    private static Map<String, Integer> maxLocals(Weaving weaving, ClassReader reader) {
        Map<String, Integer> maxLocals = new HashMap<>();
        reader.accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if (weaving.adviceFor(name, descriptor) == null) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMaxs(int maxStack, int locals) {
                        maxLocals.put(name + descriptor, locals);
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return maxLocals;
    }
}
