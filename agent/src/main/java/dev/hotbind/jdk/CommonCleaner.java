package dev.hotbind.jdk;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The objects registered with the JDK's common cleaner ({@code jdk.internal.ref.CleanerFactory}),
 * among them every {@code NioSocketImpl}: the only list the JDK keeps of its sockets. JDK 17 links
 * the cleanables in a list ({@code CleanerImpl.phantomCleanableList}, {@code PhantomCleanable.next});
 * JDK 22+ keeps them in array nodes ({@code CleanerImpl.activeList}, a {@code CleanableList} of
 * {@code Node}s with {@code arr}, {@code size}, {@code next}). Either is walked under the monitor the
 * JDK itself guards it with, so a socket opened or closed meanwhile waits for the walk: a few
 * milliseconds for ten thousand sockets, no allocation in the JDK's objects, nothing the application
 * can observe beyond that. Needs {@code java.lang.ref} and {@code jdk.internal.ref} opened.
 */
public final class CommonCleaner {
    private static final VarHandle REFERENT;
    /** The monitor and the first element; the two layouts are told apart by which of these is set. */
    private static final Object LIST;
    private static final VarHandle LINKED_NEXT;
    private static final VarHandle NODES_HEAD;
    private static final VarHandle NODE_ARRAY;
    private static final VarHandle NODE_SIZE;
    private static final VarHandle NODE_NEXT;
    /** Why the cleaner's list cannot be walked on this JDK, or null when it can. */
    public static final String UNAVAILABLE;

    static {
        VarHandle referent = null;
        Object list = null;
        VarHandle linkedNext = null;
        VarHandle nodesHead = null;
        VarHandle nodeArray = null;
        VarHandle nodeSize = null;
        VarHandle nodeNext = null;
        String unavailable = null;
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            referent = MethodHandles.privateLookupIn(Reference.class, lookup)
                    .findVarHandle(Reference.class, "referent", Object.class);
            Class<?> factory = Class.forName("jdk.internal.ref.CleanerFactory");
            Cleaner common = (Cleaner) MethodHandles.privateLookupIn(factory, lookup)
                    .findStatic(factory, "cleaner", MethodType.methodType(Cleaner.class)).invoke();
            Class<?> implClass = Class.forName("jdk.internal.ref.CleanerImpl");
            MethodHandles.Lookup impl = MethodHandles.privateLookupIn(implClass, lookup);
            MethodHandle implOf = impl.findStatic(implClass, "getCleanerImpl",
                    MethodType.methodType(implClass, Cleaner.class));
            Object cleanerImpl = implOf.invoke(common);
            Class<?> phantom = Class.forName("jdk.internal.ref.PhantomCleanable");
            try {
                list = impl.findGetter(implClass, "phantomCleanableList", phantom).invoke(cleanerImpl);
                linkedNext = MethodHandles.privateLookupIn(phantom, lookup).findVarHandle(phantom, "next", phantom);
            } catch (NoSuchFieldException jdk22) {
                Class<?> listClass = Class.forName("jdk.internal.ref.CleanerImpl$CleanableList");
                Class<?> nodeClass = Class.forName("jdk.internal.ref.CleanerImpl$CleanableList$Node");
                list = impl.findGetter(implClass, "activeList", listClass).invoke(cleanerImpl);
                nodesHead = MethodHandles.privateLookupIn(listClass, lookup).findVarHandle(listClass, "head", nodeClass);
                MethodHandles.Lookup node = MethodHandles.privateLookupIn(nodeClass, lookup);
                nodeArray = node.findVarHandle(nodeClass, "arr", phantom.arrayType());
                nodeSize = node.findVarHandle(nodeClass, "size", int.class);
                nodeNext = node.findVarHandle(nodeClass, "next", nodeClass);
            }
        } catch (Throwable e) {
            unavailable = "the JDK's common cleaner list is not readable on this JDK: " + e;
            list = null;
        }
        REFERENT = referent;
        LIST = list;
        LINKED_NEXT = linkedNext;
        NODES_HEAD = nodesHead;
        NODE_ARRAY = nodeArray;
        NODE_SIZE = nodeSize;
        NODE_NEXT = nodeNext;
        UNAVAILABLE = unavailable;
    }

    private CommonCleaner() {
    }

    /**
     * The live objects registered with the common cleaner that {@code wanted} accepts; empty when
     * unavailable. {@code wanted} runs under the cleaner's monitor: it must only look at the object.
     */
    public static List<Object> referents(Predicate<Object> wanted) {
        List<Object> found = new ArrayList<>();
        if (UNAVAILABLE != null) {
            return found;
        }
        synchronized (LIST) {
            if (LINKED_NEXT != null) {
                for (Object c = LINKED_NEXT.get(LIST); c != LIST && c != null; c = LINKED_NEXT.get(c)) {
                    keep(c, wanted, found);
                }
            } else {
                for (Object node = NODES_HEAD.get(LIST); node != null; node = NODE_NEXT.get(node)) {
                    Object[] cleanables = (Object[]) NODE_ARRAY.get(node);
                    int size = (int) NODE_SIZE.get(node);
                    for (int i = 0; i < size; i++) {
                        keep(cleanables[i], wanted, found);
                    }
                }
            }
        }
        return found;
    }

    private static void keep(Object cleanable, Predicate<Object> wanted, List<Object> found) {
        Object referent = cleanable == null ? null : REFERENT.get(cleanable);
        if (referent != null && wanted.test(referent)) {
            found.add(referent);
        }
    }
}
