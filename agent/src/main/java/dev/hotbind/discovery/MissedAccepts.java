package dev.hotbind.discovery;

import dev.hotbind.jdk.CommonCleaner;
import dev.hotbind.jdk.JdkImpls;
import dev.hotbind.jdk.SelectionKeys;
import dev.hotbind.jdk.ThreadBlockers;
import dev.hotbind.registry.ListenerRecord;
import dev.hotbind.registry.Registry;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the connections accepted by accept calls that began before the attach and returned after it:
 * their code was never instrumented, so only the thread's next accept tells (the listener counts it)
 * and the connection must be looked for like the discovery does: a SocketChannel a thread is blocked
 * on or a selector being selected on holds, a Socket's impl in the common cleaner's list, on the listener's port and not known yet. Runs on
 * the audit thread, before each audit, only for listeners that counted such an accept.
 */
public final class MissedAccepts implements Runnable {
    private final Registry registry;

    public MissedAccepts(Registry registry) {
        this.registry = registry;
    }

    @Override
    public void run() {
        List<ListenerRecord> missing = new ArrayList<>();
        for (ListenerRecord l : registry.listeners()) {
            if (l.takeMissedAccepts() > 0) {
                missing.add(l);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        List<Object> candidates = new ArrayList<>();
        for (Thread t : PlatformThreads.all()) {
            Object on = ThreadBlockers.blockedOn(t);
            if (on instanceof SocketChannel) {
                candidates.add(on);
            } else if (on instanceof Selector) {
                for (SelectionKeys.Registration r : SelectionKeys.of(on)) {
                    candidates.add(r.channel());
                }
            }
        }
        candidates.addAll(CommonCleaner.referents(o -> JdkImpls.isNio(o) && !JdkImpls.isServer(o)));
        for (ListenerRecord l : missing) {
            Thread acceptor = l.lastAcceptThread();
            for (Object c : candidates) {
                if (AttachDiscovery.localPort(c) == l.localAddress().getPort()) {
                    registry.discoveredConnection(l, c, l.lastAcceptMillis(), acceptor == null ? "" : acceptor.getName());
                }
            }
        }
    }
}
