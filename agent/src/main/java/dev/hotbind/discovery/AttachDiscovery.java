package dev.hotbind.discovery;

import dev.hotbind.audit.KernelSocket;
import dev.hotbind.audit.KernelView;
import dev.hotbind.jdk.Availability;
import dev.hotbind.jdk.CommonCleaner;
import dev.hotbind.jdk.JdkImpls;
import dev.hotbind.jdk.SelectionKeys;
import dev.hotbind.jdk.ThreadBlockers;
import dev.hotbind.jdk.VirtualPollers;
import dev.hotbind.registry.ConnectionRecord;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.Registry;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, at a dynamic attach, what the JVM already has and registers it as if hotbind had been there:
 * listeners, the threads inside accept on them, and the connections they accepted that are still
 * open. Reads only: threads' NIO blockers (blocking channels, selectors), the keys of the selectors
 * being selected on, the common cleaner's list of NioSocketImpls (every ServerSocket and Socket), the
 * virtual-thread pollers, and the kernel's tables as ground truth. Connects to nothing, wakes no
 * thread, stops none (no safepoint: thread enumeration and field reads only).
 */
public final class AttachDiscovery {
    static final String UNREACHED = "bound before hotbind was attached and reached by no JDK structure hotbind "
            + "walks: a ServerSocketChannel no thread accepts or selects on, or a socket opened natively "
            + "(Netty's epoll transport, JNI)";

    private final Registry registry;
    private final KernelView kernel;
    private final Set<String> limits = new LinkedHashSet<>();
    private final Map<Object, List<Thread>> blockedChannels = new IdentityHashMap<>();
    /** Listening channels found on a selector, and whether one watches them for OP_ACCEPT. */
    private final Map<Object, Boolean> selectedChannels = new IdentityHashMap<>();
    private final Set<Object> connectionCandidates = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Set<ListenerRecord> watched = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<ListenerRecord, Boolean> found = new LinkedHashMap<>();
    private int acceptThreads;
    private int connections;

    private AttachDiscovery(Registry registry, KernelView kernel) {
        this.registry = registry;
        this.kernel = kernel;
    }

    /** Runs the discovery; never throws: what it cannot read is named in the report's limits. */
    public static DiscoveryReport run(Registry registry, KernelView kernel) {
        long begun = System.nanoTime();
        AttachDiscovery discovery = new AttachDiscovery(registry, kernel);
        Map<Long, String> unreached;
        try {
            unreached = discovery.walk();
        } catch (RuntimeException | LinkageError e) {
            discovery.limits.add("the discovery stopped: " + e);
            unreached = Map.of();
        }
        return new DiscoveryReport(discovery.found.size(), discovery.acceptThreads, discovery.connections,
                System.nanoTime() - begun, unreached, List.copyOf(discovery.limits));
    }

    private Map<Long, String> walk() {
        for (Availability a : new Availability[] {ThreadBlockers.availability(), SelectionKeys.readAvailability(),
            CommonCleaner.availability(), JdkImpls.availability()}) {
            if (!a.available()) {
                limits.add(a.reason());
            }
        }
        for (Thread t : PlatformThreads.all()) {
            Object on = ThreadBlockers.blockedOn(t);
            if (on instanceof ServerSocketChannel) {
                blockedChannels.computeIfAbsent(on, c -> new ArrayList<>()).add(t);
            } else if (on instanceof Selector) {
                selected(on);
            } else if (on instanceof SocketChannel) {
                connectionCandidates.add(on);
            }
        }
        List<Object> impls = CommonCleaner.referents(JdkImpls::isNio);
        channels();
        List<Object> serverImpls = new ArrayList<>();
        for (Object impl : impls) {
            if (JdkImpls.fd(impl) < 0) {
                continue;
            }
            if (JdkImpls.isServer(impl)) {
                serverImpls.add(impl);
            } else {
                connectionCandidates.add(impl);
            }
        }
        serverSockets(serverImpls);
        connections();
        return kernel();
    }

    private void selected(Object selector) {
        for (SelectionKeys.Registration r : SelectionKeys.of(selector)) {
            if (r.channel() instanceof ServerSocketChannel) {
                selectedChannels.merge(r.channel(), r.accepting(), Boolean::logicalOr);
            } else if (r.channel() instanceof SocketChannel) {
                connectionCandidates.add(r.channel());
            }
        }
    }

    private void channels() {
        Map<Object, Boolean> all = new IdentityHashMap<>(selectedChannels);
        for (Object c : blockedChannels.keySet()) {
            all.putIfAbsent(c, false);
        }
        for (Map.Entry<Object, Boolean> e : all.entrySet()) {
            ServerSocketChannel channel = (ServerSocketChannel) e.getKey();
            ListenerRecord record = channel.isOpen()
                    ? registry.discoveredListener(channel, false, address(channel)) : null;
            if (record == null) {
                continue;
            }
            found.put(record, true);
            if (e.getValue()) {
                watched.add(record);
            }
            for (Thread t : blockedChannels.getOrDefault(channel, List.of())) {
                if (registry.discoveredAcceptThread(record, t)) {
                    acceptThreads++;
                }
            }
        }
    }

    /**
     * ServerSockets, by their impl. The thread inside accept: a virtual one from the pollers; a platform
     * one is the owner of the lock accept holds while it waits.
     */
    private void serverSockets(List<Object> serverImpls) {
        for (Object impl : serverImpls) {
            ServerSocket standIn = JdkImpls.standIn(impl);
            SocketAddress address = standIn == null ? null : standIn.getLocalSocketAddress();
            ListenerRecord record = registry.discoveredListener(impl, true,
                    address instanceof InetSocketAddress ? (InetSocketAddress) address : null);
            if (record == null) {
                continue;
            }
            found.put(record, true);
            long reader = JdkImpls.readerThread(impl);
            if (reader == -1) {
                Thread virtual = VirtualPollers.waitingOn(JdkImpls.fd(impl));
                if (virtual == null && !VirtualPollers.availability().available()) {
                    limits.add(VirtualPollers.availability().reason());
                }
                inside(record, virtual);
            } else if (reader != 0) {
                if (!JdkImpls.acceptingThreadAvailability().available()) {
                    limits.add("which platform thread is inside ServerSocket.accept: "
                            + JdkImpls.acceptingThreadAvailability().reason());
                }
                inside(record, JdkImpls.acceptingThread(impl));
            }
        }
    }

    private void inside(ListenerRecord record, Thread thread) {
        if (thread != null && registry.discoveredAcceptThread(record, thread)) {
            acceptThreads++;
        }
    }

    /**
     * Accepted sockets and channels, tied to the listener whose port is their local port; the others
     * wait for a listener closed before the attach to show itself.
     */
    private void connections() {
        Map<Integer, ListenerRecord> byPort = new HashMap<>();
        for (ListenerRecord l : registry.listeners()) {
            byPort.putIfAbsent(l.localAddress().getPort(), l);
        }
        for (Object c : connectionCandidates) {
            int port = localPort(c);
            ListenerRecord listener = port > 0 ? byPort.get(port) : null;
            boolean tied = listener != null ? registry.discoveredConnection(listener, c)
                    : port > 0 && registry.unclaimedAtAttach(c, port);
            if (tied) {
                connections++;
            }
        }
    }

    /** The local port of a connected SocketChannel or a Socket's impl; -1 otherwise. */
    static int localPort(Object connection) {
        if (JdkImpls.isNio(connection)) {
            return JdkImpls.localPort(connection);
        }
        if (!(connection instanceof SocketChannel)) {
            return -1;
        }
        SocketAddress local = address((SocketChannel) connection);
        return local instanceof InetSocketAddress && ((SocketChannel) connection).isConnected()
                ? ((InetSocketAddress) local).getPort() : -1;
    }

    /**
     * The kernel's listening sockets of this process: each is one of the listeners found, or reported
     * unreached. A found one whose queue holds connections that nobody is there to accept is marked.
     */
    private Map<Long, String> kernel() {
        if (!kernel.available()) {
            limits.add("no kernel view: listeners the JDK structures do not reach cannot be listed");
            return Map.of();
        }
        Map<Long, KernelSocket> listening = kernel.listening();
        // the descriptors of what was found need no look: with 10,000 connections that is most of them
        BitSet known = new BitSet();
        for (ConnectionRecord c : registry.connections()) {
            if (c.fd() >= 0) {
                known.set(c.fd());
            }
        }
        Map<Long, Integer> own = kernel.ownSockets(known::get);
        Set<Long> matched = Collections.newSetFromMap(new HashMap<>());
        long now = System.currentTimeMillis();
        for (ListenerRecord l : registry.listeners()) {
            long inode = kernel.inodeOf(l.fd());
            matched.add(inode);
            KernelSocket k = listening.get(inode);
            if (found.containsKey(l) && k != null && k.rxQueue() > 0 && l.acceptWaiters().isEmpty()
                    && !watched.contains(l)) {
                registry.discoveredQueue(l, now);
            }
        }
        Map<Long, String> unreached = new HashMap<>();
        for (Long inode : listening.keySet()) {
            if (own.containsKey(inode) && !matched.contains(inode)) {
                unreached.put(inode, CommonCleaner.availability().available() ? UNREACHED
                        : UNREACHED + "; ServerSockets too here, since " + CommonCleaner.availability().reason());
            }
        }
        return unreached;
    }

    private static InetSocketAddress address(java.nio.channels.NetworkChannel channel) {
        try {
            SocketAddress a = channel.getLocalAddress();
            return a instanceof InetSocketAddress ? (InetSocketAddress) a : null;
        } catch (Exception closed) {
            return null;
        }
    }
}
