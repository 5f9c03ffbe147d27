package dev.hotbind.advice;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Rewrites one JDK method's code with its {@link Advice}: the Hooks call on entry, and, for advice that
 * exits, every return turned into a jump to one exit block, and the whole original body covered by a
 * handler that runs the same block with the throwable, then rethrows it unchanged (unless bind's
 * {@code bindFailed} answered another). The original code keeps its local slots; ours come after them
 * (the method's {@code max_locals} is given) and are set before the body, so each of the body's stack
 * map frames (read expanded) gets them appended; every block of ours carries its own frame, with the
 * parameters as TOP where the body may have changed them. Frames are written, never computed: nothing
 * is loaded to merge types.
 */
final class AdvisedMethod extends MethodVisitor {
    private static final String HOOKS = "dev/hotbind/bootstrap/Hooks";
    private static final String OBJECT = "java/lang/Object";
    private static final String THROWABLE = "java/lang/Throwable";
    private static final String ON_OBJECT = "(Ljava/lang/Object;)V";
    /** The deepest operand stack of our code: the four arguments of acceptExit or bindFailed. */
    private static final int OUR_STACK = 4;

    private final Advice advice;
    private final String owner;
    /** {@code this} and the parameters as the method begins, as frame types. */
    private final Object[] entry;
    private final int entrySlots;
    /** The internal name of what the method returns, null for void. */
    private final String returns;
    /** The original {@code max_locals}: our locals start here. */
    private final int first;
    /** Frame types of our locals, slot {@code first} onwards, in the order they are set. */
    private final List<Object> ours = new ArrayList<>();
    private final Label bodyStart = new Label();
    private final Label bodyEnd = new Label();
    private final Label returned = new Label();
    private final Label failed = new Label();
    private boolean entered;
    private boolean finished;
    private int retry;
    private int endpoint;
    private int backlog;
    private int token;
    private int socket;

    AdvisedMethod(MethodVisitor method, Advice advice, String owner, String descriptor, int maxLocals) {
        super(Opcodes.ASM9, method);
        this.advice = advice;
        this.owner = owner;
        this.first = maxLocals;
        Type[] parameters = Type.getArgumentTypes(descriptor);
        entry = new Object[parameters.length + 1];
        entry[0] = owner;
        int slots = 1;
        for (int i = 0; i < parameters.length; i++) {
            entry[i + 1] = frameType(parameters[i]);
            slots += parameters[i].getSize();
        }
        entrySlots = slots;
        Type returnType = Type.getReturnType(descriptor);
        if (returnType.getSort() == Type.VOID) {
            returns = null;
        } else if (returnType.getSort() == Type.OBJECT) {
            returns = returnType.getInternalName();
        } else {
            // the exit block only carries references through: no JDK method woven returns anything else
            throw new IllegalStateException("cannot weave a method returning " + returnType + ": " + descriptor);
        }
    }

    /** Our entry code goes before the original's first instruction and after its exception handlers (inner first). */
    private void enter() {
        if (entered) {
            return;
        }
        entered = true;
        if (advice.exits()) {
            mv.visitTryCatchBlock(bodyStart, bodyEnd, failed, THROWABLE);
        }
        Label start = new Label();
        Label end = new Label();
        Label dropped = new Label();
        Label after = new Label();
        mv.visitTryCatchBlock(start, end, dropped, THROWABLE);
        switch (advice) {
            case BIND -> {
                retry = local(OBJECT);
                mv.visitInsn(Opcodes.ACONST_NULL);
                mv.visitVarInsn(Opcodes.ASTORE, retry);
                mv.visitLabel(start);
                mv.visitVarInsn(Opcodes.ALOAD, 0);
                mv.visitVarInsn(Opcodes.ALOAD, 1);
                hook("binding", "(Ljava/lang/Object;Ljava/net/SocketAddress;)Ljava/net/SocketAddress;");
                mv.visitVarInsn(Opcodes.ASTORE, 1);
                mv.visitLabel(end);
                mv.visitJumpInsn(Opcodes.GOTO, after);
                mv.visitLabel(dropped);
                frame(locals(true), THROWABLE);
                mv.visitInsn(Opcodes.POP);
                mv.visitLabel(after);
                frame(locals(true));
                // the exit sees the arguments the body began with, and a retry begins with them again
                endpoint = local("java/net/SocketAddress");
                backlog = local(Opcodes.INTEGER);
                mv.visitVarInsn(Opcodes.ALOAD, 1);
                mv.visitVarInsn(Opcodes.ASTORE, endpoint);
                mv.visitVarInsn(Opcodes.ILOAD, 2);
                mv.visitVarInsn(Opcodes.ISTORE, backlog);
                mv.visitLabel(bodyStart);
                frame(locals(true));
                // the body's own first frame, if it has one, must not share this offset
                mv.visitInsn(Opcodes.NOP);
            }
            case SOCKET_ACCEPT, CHANNEL_ACCEPT -> {
                mv.visitLabel(start);
                mv.visitVarInsn(Opcodes.ALOAD, 0);
                hook("acceptEnter", "(Ljava/lang/Object;)Ljava/lang/Object;");
                mv.visitLabel(end);
                mv.visitJumpInsn(Opcodes.GOTO, after);
                mv.visitLabel(dropped);
                frame(entry, THROWABLE);
                mv.visitInsn(Opcodes.POP);
                mv.visitInsn(Opcodes.ACONST_NULL);
                mv.visitLabel(after);
                frame(entry, OBJECT);
                token = local(OBJECT);
                mv.visitVarInsn(Opcodes.ASTORE, token);
                if (advice == Advice.SOCKET_ACCEPT) {
                    socket = local("java/net/Socket");
                    mv.visitVarInsn(Opcodes.ALOAD, 1);
                    mv.visitVarInsn(Opcodes.ASTORE, socket);
                }
                mv.visitLabel(bodyStart);
            }
            case CLOSED_ACCEPT, SERVER_CLOSE, CONNECTION_CLOSE, CHILD_PROCESS -> {
                mv.visitLabel(start);
                mv.visitVarInsn(Opcodes.ALOAD, 0);
                if (advice == Advice.CLOSED_ACCEPT) {
                    mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "isClosed", "()Z", false);
                    mv.visitJumpInsn(Opcodes.IFEQ, after);
                    mv.visitVarInsn(Opcodes.ALOAD, 0);
                    hook("acceptOnClosed", ON_OBJECT);
                } else if (advice == Advice.SERVER_CLOSE) {
                    hook("serverClosing", ON_OBJECT);
                } else if (advice == Advice.CONNECTION_CLOSE) {
                    hook("connectionClosing", ON_OBJECT);
                } else {
                    hook("childStarting", "(Ljava/lang/ProcessBuilder;)V");
                }
                mv.visitLabel(end);
                mv.visitJumpInsn(Opcodes.GOTO, after);
                mv.visitLabel(dropped);
                frame(entry, THROWABLE);
                mv.visitInsn(Opcodes.POP);
                mv.visitLabel(after);
                frame(entry);
                mv.visitInsn(Opcodes.NOP);
            }
        }
    }

    /** The exit block, after the original's last instruction. */
    private void finish() {
        if (finished || !advice.exits()) {
            return;
        }
        finished = true;
        mv.visitLabel(bodyEnd);
        Object[] body = locals(false);
        boolean returnsValue = returns != null;
        // what the exit passes on: the returned value (or, for implAccept, its socket argument); null on a throw
        int result = advice == Advice.SOCKET_ACCEPT ? local("java/net/Socket") : returnsValue ? local(returns) : -1;
        int thrown = local(THROWABLE);
        Label exit = new Label();
        mv.visitLabel(returned);
        if (returnsValue) {
            frame(body, returns);
            mv.visitVarInsn(Opcodes.ASTORE, result);
        } else {
            frame(body);
        }
        if (advice == Advice.SOCKET_ACCEPT) {
            mv.visitVarInsn(Opcodes.ALOAD, socket);
            mv.visitVarInsn(Opcodes.ASTORE, result);
        }
        mv.visitInsn(Opcodes.ACONST_NULL);
        mv.visitVarInsn(Opcodes.ASTORE, thrown);
        mv.visitJumpInsn(Opcodes.GOTO, exit);
        mv.visitLabel(failed);
        frame(body, THROWABLE);
        mv.visitVarInsn(Opcodes.ASTORE, thrown);
        if (result >= 0) {
            mv.visitInsn(Opcodes.ACONST_NULL);
            mv.visitVarInsn(Opcodes.ASTORE, result);
        }
        mv.visitLabel(exit);
        Object[] all = locals(false);
        frame(all);
        Label start = new Label();
        Label end = new Label();
        Label dropped = new Label();
        Label done = new Label();
        mv.visitTryCatchBlock(start, end, dropped, THROWABLE);
        mv.visitLabel(start);
        if (advice == Advice.BIND) {
            bindExit(all, thrown, done);
        } else {
            mv.visitVarInsn(Opcodes.ALOAD, token);
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitVarInsn(Opcodes.ALOAD, result);
            mv.visitVarInsn(Opcodes.ALOAD, thrown);
            hook("acceptExit", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Throwable;)V");
            mv.visitJumpInsn(Opcodes.GOTO, done);
        }
        mv.visitLabel(end);
        mv.visitLabel(dropped);
        frame(all, THROWABLE);
        mv.visitInsn(Opcodes.POP);
        mv.visitLabel(done);
        frame(all);
        Label normal = new Label();
        mv.visitVarInsn(Opcodes.ALOAD, thrown);
        mv.visitJumpInsn(Opcodes.IFNULL, normal);
        mv.visitVarInsn(Opcodes.ALOAD, thrown);
        mv.visitInsn(Opcodes.ATHROW);
        mv.visitLabel(normal);
        frame(all);
        if (returnsValue) {
            mv.visitVarInsn(Opcodes.ALOAD, result);
            mv.visitInsn(Opcodes.ARETURN);
        } else {
            mv.visitInsn(Opcodes.RETURN);
        }
    }

    /**
     * {@code if (thrown == null) { if (retry != null) retriedBindSucceeded(retry); bound(this, backlog); }
     * else { next = bindFailed(retry, this, endpoint, thrown); if (next instanceof Throwable) thrown = next;
     * else if ((retry = next) != null) run the body again with the arguments it began with }}, ending at {@code done}.
     */
    private void bindExit(Object[] all, int thrown, Label done) {
        Label failure = new Label();
        Label bound = new Label();
        Label notThrowable = new Label();
        mv.visitVarInsn(Opcodes.ALOAD, thrown);
        mv.visitJumpInsn(Opcodes.IFNONNULL, failure);
        mv.visitVarInsn(Opcodes.ALOAD, retry);
        mv.visitJumpInsn(Opcodes.IFNULL, bound);
        mv.visitVarInsn(Opcodes.ALOAD, retry);
        hook("retriedBindSucceeded", ON_OBJECT);
        mv.visitLabel(bound);
        frame(all);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ILOAD, backlog);
        hook("bound", "(Ljava/lang/Object;I)V");
        mv.visitJumpInsn(Opcodes.GOTO, done);
        mv.visitLabel(failure);
        frame(all);
        mv.visitVarInsn(Opcodes.ALOAD, retry);
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitVarInsn(Opcodes.ALOAD, endpoint);
        mv.visitVarInsn(Opcodes.ALOAD, thrown);
        hook("bindFailed", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Throwable;)Ljava/lang/Object;");
        mv.visitInsn(Opcodes.DUP);
        mv.visitTypeInsn(Opcodes.INSTANCEOF, THROWABLE);
        mv.visitJumpInsn(Opcodes.IFEQ, notThrowable);
        mv.visitTypeInsn(Opcodes.CHECKCAST, THROWABLE);
        mv.visitVarInsn(Opcodes.ASTORE, thrown);
        mv.visitJumpInsn(Opcodes.GOTO, done);
        mv.visitLabel(notThrowable);
        frame(all, OBJECT);
        mv.visitInsn(Opcodes.DUP);
        mv.visitVarInsn(Opcodes.ASTORE, retry);
        mv.visitJumpInsn(Opcodes.IFNULL, done);
        mv.visitVarInsn(Opcodes.ALOAD, endpoint);
        mv.visitVarInsn(Opcodes.ASTORE, 1);
        mv.visitVarInsn(Opcodes.ILOAD, backlog);
        mv.visitVarInsn(Opcodes.ISTORE, 2);
        mv.visitJumpInsn(Opcodes.GOTO, bodyStart);
    }

    private void hook(String name, String descriptor) {
        mv.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, name, descriptor, false);
    }

    private int local(Object frameType) {
        ours.add(frameType);
        return first + ours.size() - 1;
    }

    /**
     * The locals of a frame of ours: {@code this} and, with {@code parameters}, the parameters as on
     * entry (otherwise TOP: the body may have changed them), TOP up to {@code first}, then ours set so far.
     */
    private Object[] locals(boolean parameters) {
        List<Object> locals = new ArrayList<>(parameters ? Arrays.asList(entry) : List.of(owner));
        int slots = parameters ? entrySlots : 1;
        return appendOurs(locals, slots);
    }

    private Object[] appendOurs(List<Object> locals, int slots) {
        if (!ours.isEmpty()) {
            for (int slot = slots; slot < first; slot++) {
                locals.add(Opcodes.TOP);
            }
            locals.addAll(ours);
        }
        return locals.toArray();
    }

    private void frame(Object[] locals, Object... stack) {
        mv.visitFrame(Opcodes.F_NEW, locals.length, locals, stack.length, stack);
    }

    private static Object frameType(Type type) {
        return switch (type.getSort()) {
            case Type.BOOLEAN, Type.BYTE, Type.CHAR, Type.SHORT, Type.INT -> Opcodes.INTEGER;
            case Type.FLOAT -> Opcodes.FLOAT;
            case Type.LONG -> Opcodes.LONG;
            case Type.DOUBLE -> Opcodes.DOUBLE;
            default -> type.getInternalName();
        };
    }

    /** The body's frames (expanded: one entry per long or double) get our locals appended. */
    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        enter();
        if (type != Opcodes.F_NEW) {
            throw new IllegalStateException("frames must be read expanded");
        }
        List<Object> locals = new ArrayList<>(Arrays.asList(local).subList(0, numLocal));
        int slots = 0;
        for (Object t : locals) {
            slots += t == Opcodes.LONG || t == Opcodes.DOUBLE ? 2 : 1;
        }
        Object[] extended = appendOurs(locals, slots);
        super.visitFrame(Opcodes.F_NEW, extended.length, extended, numStack, stack);
    }

    @Override
    public void visitInsn(int opcode) {
        enter();
        if (advice.exits() && opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            // the value, if any, goes to the exit block on the stack
            super.visitJumpInsn(Opcodes.GOTO, returned);
        } else {
            super.visitInsn(opcode);
        }
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        finish();
        super.visitMaxs(Math.max(maxStack, OUR_STACK), first + ours.size());
    }

    @Override
    public void visitLocalVariable(String name, String descriptor, String signature, Label start, Label end, int index) {
        finish();
        super.visitLocalVariable(name, descriptor, signature, start, end, index);
    }

    // every other event of the original code begins after our entry code

    @Override
    public void visitLabel(Label label) {
        enter();
        super.visitLabel(label);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        enter();
        super.visitLineNumber(line, start);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        enter();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
        enter();
        super.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        enter();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        enter();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        enter();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bootstrapMethodHandle,
                                       Object... bootstrapMethodArguments) {
        enter();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrapMethodHandle, bootstrapMethodArguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        enter();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        enter();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
        enter();
        super.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        enter();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        enter();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        enter();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
}
