package dev.hotbind.jdk;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Operations on descriptor numbers, through the JDK's own natives: {@code InheritedChannel.dup/dup2/
 * close0}, {@code NativeThread.signal}, {@code Net.accept/localAddress/listen}, {@code IOUtil.configureBlocking},
 * and the {@code IOStatus} codes {@code Net.accept} answers with. Linux only: a swap relies on dup2 and
 * SO_REUSEPORT semantics there.
 */
public final class Descriptors {
    /** {@code IOStatus.INTERRUPTED}: the call was interrupted (EINTR) and may be retried. */
    public static final int INTERRUPTED;
    /** {@code IOStatus.UNAVAILABLE}: nothing to accept now on a non-blocking descriptor. */
    public static final int UNAVAILABLE;
    /** O_NONBLOCK of Linux's generic open flags (x86-64, arm64, riscv64). */
    private static final int O_NONBLOCK = 0x800;
    private static final MethodHandle DUP;
    private static final MethodHandle DUP2;
    private static final MethodHandle CLOSE;
    private static final MethodHandle SIGNAL;
    private static final MethodHandle ACCEPT;
    private static final MethodHandle LOCAL_ADDRESS;
    private static final MethodHandle LISTEN;
    private static final MethodHandle CONFIGURE_BLOCKING;
    private static final Availability AVAILABILITY;

    static {
        Resolver r = new Resolver("descriptor operations");
        if (!System.getProperty("os.name", "").toLowerCase().contains("linux")) {
            r.refuse("rebind needs Linux (SO_REUSEPORT after listen, dup2 semantics); this is "
                    + System.getProperty("os.name"));
        }
        Class<?> inherited = r.type("sun.nio.ch.InheritedChannel");
        DUP = r.staticMethod(inherited, "dup", int.class, int.class);
        DUP2 = r.staticMethod(inherited, "dup2", void.class, int.class, int.class);
        CLOSE = r.staticMethod(inherited, "close0", void.class, int.class);
        SIGNAL = r.staticMethod(r.type("sun.nio.ch.NativeThread"), "signal", void.class, long.class);
        Class<?> net = r.type("sun.nio.ch.Net");
        ACCEPT = r.staticMethod(net, "accept", int.class, FileDescriptor.class, FileDescriptor.class,
                InetSocketAddress[].class);
        LOCAL_ADDRESS = r.staticMethod(net, "localAddress", InetSocketAddress.class, FileDescriptor.class);
        LISTEN = r.staticMethod(net, "listen", void.class, FileDescriptor.class, int.class);
        CONFIGURE_BLOCKING = r.staticMethod(r.type("sun.nio.ch.IOUtil"), "configureBlocking", void.class,
                FileDescriptor.class, boolean.class);
        Class<?> status = r.type("sun.nio.ch.IOStatus");
        INTERRUPTED = r.constant(status, "INTERRUPTED");
        UNAVAILABLE = r.constant(status, "UNAVAILABLE");
        AVAILABILITY = Availability.all(FileDescriptors.AVAILABILITY, r.availability());
    }

    private Descriptors() {
    }

    public static Availability availability() {
        return AVAILABILITY;
    }

    /** A second descriptor for the same socket: it stays open when the first is replaced. */
    public static int dup(int fd) throws IOException {
        return (int) call(DUP, fd);
    }

    /** Puts the socket under {@code from} also under {@code to}, closing what {@code to} was. */
    public static void dup2(int from, int to) throws IOException {
        call(DUP2, from, to);
    }

    public static void close(int fd) throws IOException {
        call(CLOSE, fd);
    }

    /** Interrupts the system call a platform thread is blocked in; the JDK retries it on EINTR. */
    public static void signal(long nativeThread) throws IOException {
        if (nativeThread <= 0) {
            return;
        }
        call(SIGNAL, nativeThread);
    }

    /**
     * The JDK's own accept: 1 with {@code accepted} and {@code peer[0]} set, or a negative status
     * ({@link #INTERRUPTED}, {@link #UNAVAILABLE}).
     */
    public static int accept(FileDescriptor listener, FileDescriptor accepted, InetSocketAddress[] peer)
            throws IOException {
        return (int) call(ACCEPT, listener, accepted, peer);
    }

    public static InetSocketAddress localAddress(FileDescriptor fd) throws IOException {
        return (InetSocketAddress) call(LOCAL_ADDRESS, fd);
    }

    /** {@code listen(2)} again on a listening socket: the kernel only sets its backlog, nothing else changes. */
    public static void listen(int fd, int backlog) throws IOException {
        call(LISTEN, descriptor(fd), backlog);
    }

    public static void configureBlocking(FileDescriptor fd, boolean blocking) throws IOException {
        call(CONFIGURE_BLOCKING, fd, blocking);
    }

    /**
     * Whether descriptor {@code fd} of this process is in non-blocking mode, as the kernel has it
     * ({@code /proc/self/fdinfo}: the open flags, in octal).
     */
    public static boolean nonBlocking(int fd) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo", Integer.toString(fd)))) {
            if (line.startsWith("flags:")) {
                return (Integer.parseInt(line.substring("flags:".length()).trim(), 8) & O_NONBLOCK) != 0;
            }
        }
        throw new IOException("/proc/self/fdinfo/" + fd + " has no flags line");
    }

    /** Runs a JDK native, passing on the IOException it throws; off the accept path, so boxing is fine. */
    private static Object call(MethodHandle handle, Object... arguments) throws IOException {
        try {
            return handle.invokeWithArguments(arguments);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A FileDescriptor object for a descriptor number hotbind holds. */
    public static FileDescriptor descriptor(int fd) {
        FileDescriptor descriptor = new FileDescriptor();
        FileDescriptors.FD.set(descriptor, fd);
        return descriptor;
    }

    /** The number inside a FileDescriptor, -1 when closed. */
    public static int number(FileDescriptor descriptor) {
        return FileDescriptors.number(descriptor);
    }
}
