package dev.hotbind.jdk;

import java.lang.invoke.MethodHandle;
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
    private static final String LIST_CLASS = "jdk.internal.ref.CleanerImpl$CleanableList";
    private static final VarHandle REFERENT;
    /** The monitor and the first element; the two layouts are told apart by which handles are set. */
    private static final Object LIST;
    private static final VarHandle LINKED_NEXT;
    private static final VarHandle NODES_HEAD;
    private static final VarHandle NODE_ARRAY;
    private static final VarHandle NODE_SIZE;
    private static final VarHandle NODE_NEXT;
    private static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("the common cleaner's list");
        REFERENT = r.field(Reference.class, "referent", Object.class);
        Class<?> impl = r.type("jdk.internal.ref.CleanerImpl");
        Class<?> phantom = r.type("jdk.internal.ref.PhantomCleanable");
        MethodHandle common = r.staticMethod(r.type("jdk.internal.ref.CleanerFactory"), "cleaner", Cleaner.class);
        MethodHandle implOf = r.staticMethod(impl, "getCleanerImpl", impl, Cleaner.class);
        VarHandle linked = r.optionalField(impl, "phantomCleanableList", phantom);
        boolean nodes = linked == null;
        Class<?> list = nodes ? r.type(LIST_CLASS) : null;
        Class<?> node = nodes ? r.type(LIST_CLASS + "$Node") : null;
        VarHandle active = nodes ? r.field(impl, "activeList", list) : null;
        LINKED_NEXT = nodes ? null : r.field(phantom, "next", phantom);
        NODES_HEAD = nodes ? r.field(list, "head", node) : null;
        NODE_ARRAY = nodes && phantom != null ? r.field(node, "arr", phantom.arrayType()) : null;
        NODE_SIZE = nodes ? r.field(node, "size", int.class) : null;
        NODE_NEXT = nodes ? r.field(node, "next", node) : null;
        Object head = null;
        if (r.availability().available()) {
            try {
                Object cleanerImpl = implOf.invoke((Cleaner) common.invoke());
                head = nodes ? active.get(cleanerImpl) : linked.get(cleanerImpl);
            } catch (Throwable e) {
                r.refuse(String.valueOf(e));
            }
        }
        LIST = head;
        AVAILABILITY = r.availability();
    }

    private CommonCleaner() {
    }

    public static Availability availability() {
        return AVAILABILITY;
    }

    /**
     * The live objects registered with the common cleaner that {@code wanted} accepts; empty when
     * unavailable. {@code wanted} runs under the cleaner's monitor: it must only look at the object.
     */
    public static List<Object> referents(Predicate<Object> wanted) {
        List<Object> found = new ArrayList<>();
        if (!AVAILABILITY.available()) {
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
