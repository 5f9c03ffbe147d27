package dev.hotbind.jdk;

import java.io.FileDescriptor;
import java.lang.invoke.VarHandle;

/** {@code FileDescriptor.fd}: the number behind every JDK socket object. */
final class FileDescriptors {
    static final VarHandle FD;
    static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("FileDescriptor");
        FD = r.field(FileDescriptor.class, "fd", int.class);
        AVAILABILITY = r.availability();
    }

    private FileDescriptors() {
    }

    /** The number, or -1 for a missing or closed descriptor. */
    static int number(FileDescriptor descriptor) {
        return descriptor == null ? -1 : (int) FD.get(descriptor);
    }
}
