package dev.hotbind.it.harness;

import dev.hotbind.it.apps.Replies;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * A real server running in a target JVM with hotbind, and its listener as hotbind knows it. In attach
 * mode the server is started without hotbind and holds {@link #HELD_BEFORE_ATTACH} keep-alive
 * connections when hotbind is attached; its listener must be there when the attach returns. The
 * listener is followed by id, since a move re-registers its MBean under a new name, and its current
 * port is kept here for clients that follow it.
 */
public final class RunningServer extends OperatedListener implements AutoCloseable {
    /** A server's start-up with the agent took up to 30 s here under a load average of 20 on 2 cores. */
    private static final Duration START_UP = Duration.ofMinutes(2);
    /** Keep-alive connections an attach-mode server holds when hotbind arrives. */
    public static final int HELD_BEFORE_ATTACH = 2;

    private final ServerApp app;
    private final List<Http.KeepAlive> heldBeforeAttach;
    private AtAttach atAttach;

    private RunningServer(ServerApp app, TargetJvm target, HotbindJmx hotbind, long listenerId, int port,
                          List<Http.KeepAlive> heldBeforeAttach) {
        super(target, hotbind, listenerId, port);
        this.app = app;
        this.heldBeforeAttach = heldBeforeAttach;
    }

    /**
     * Starts {@code app} on {@code jdk} and waits until hotbind shows its listener; {@code moreOptions}
     * ({@code key=value,...}, may be empty) are added to the agent options every server gets.
     */
    public static RunningServer start(ServerApp app, Jdk jdk, TargetJvm.Mode mode, String moreOptions)
            throws Exception {
        // C1 only and the serial collector: half the CPU of a server's start-up on a shared 2-core machine,
        // and nothing hotbind does depends on the JIT tier or the collector
        // audits often enough that a test sees several, with the default thresholds a healthy server must pass
        String options = "auditInterval=300ms" + (moreOptions.isEmpty() ? "" : "," + moreOptions);
        boolean attach = mode == TargetJvm.Mode.ATTACH;
        TargetJvm target = TargetJvm.on(jdk).mode(attach ? TargetJvm.Mode.NONE : mode)
                .jvmArg("-XX:TieredStopAtLevel=1").jvmArg("-XX:+UseSerialGC")
                .agentOptions(options).readyWithin(START_UP).start(Replies.READY, app.mainClass().getName());
        List<Http.KeepAlive> held = new ArrayList<>();
        try {
            int port = target.awaitPort(app.portName());
            if (attach) {
                // an idle server holding connections made before the attach, then nothing until the checks.
                // A cold server's first answer (its codec's classes loading, six JVMs starting on two cores)
                // can outlast a request's timeout: it is asked until it answers, all before the attach.
                Poll.value("a first answer from " + app + " before the attach", START_UP, () -> {
                    try {
                        return Http.get(port, "/");
                    } catch (IOException slowOrNotYet) {
                        return null;
                    }
                });
                for (int i = 0; i < HELD_BEFORE_ATTACH; i++) {
                    Http.KeepAlive client = new Http.KeepAlive(port);
                    held.add(client);
                    client.get("/");
                }
                target.attach(options);
            }
            HotbindJmx hotbind = target.hotbind();
            ObjectName listener = hotbind.listenerOnPort(port, mode);
            RunningServer server = new RunningServer(app, target, hotbind, (Long) hotbind.attribute(listener, "Id"),
                    port, held);
            if (attach) {
                // read at once: servers close idle keep-alive connections after a while (30 s for Jetty's and
                // the JDK's), and a test class starts all its targets before its first test runs
                server.atAttach = AtAttach.read(hotbind, listener);
            }
            return server;
        } catch (Exception | AssertionError e) {
            for (Http.KeepAlive client : held) {
                client.close();
            }
            target.close();
            throw e;
        }
    }

    /** What the listener's MBean showed as soon as the attach returned; null with -javaagent. */
    public AtAttach atAttach() {
        return atAttach;
    }

    /** A listener MBean's view right after the attach: its connections' peers and accept times, its acceptors. */
    public record AtAttach(int openConnections, Set<Integer> peerPorts, Set<String> acceptedAt,
                           Set<String> acceptThreadsOfConnections, long acceptedCount, String[] acceptThreads) {
        static AtAttach read(HotbindJmx hotbind, ObjectName listener) {
            Set<Integer> peers = new TreeSet<>();
            Set<String> acceptedAt = new TreeSet<>();
            Set<String> threads = new TreeSet<>();
            for (CompositeData row : hotbind.rows(listener, "connections")) {
                String remote = (String) row.get("remoteAddress");
                peers.add(Integer.parseInt(remote.substring(remote.lastIndexOf(':') + 1)));
                acceptedAt.add((String) row.get("acceptedAt"));
                threads.add((String) row.get("acceptThread"));
            }
            return new AtAttach((Integer) hotbind.attribute(listener, "OpenConnections"), peers, acceptedAt, threads,
                    (Long) hotbind.attribute(listener, "AcceptedCount"),
                    (String[]) hotbind.attribute(listener, "AcceptThreads"));
        }
    }

    /** The keep-alive connections made before the attach (none with -javaagent); the test closes them. */
    public List<Http.KeepAlive> heldBeforeAttach() {
        return heldBeforeAttach;
    }

    public ServerApp app() {
        return app;
    }

    /** Whether the one thread inside accept now is the server's acceptor (for a blocking server). */
    @Override
    public boolean acceptorInAccept() {
        String[] threads = (String[]) attribute("AcceptThreads");
        return threads.length == 1
                && app.acceptThread().matcher(threads[0].replaceFirst(" \\(since .*", "")).matches();
    }

    @Override
    public ChurnClient.Exchange exchange() {
        return ChurnClient.http("/");
    }

    @Override
    public boolean blocking() {
        return app.blocking();
    }

    /** drain(timeoutMillis) on the listener: waits for it and answers its figures and summary. */
    public CompositeData drain(long timeoutMillis) throws Exception {
        return hotbind().invoke(listener(), "drain", new Object[] {timeoutMillis}, new String[] {"long"});
    }

    public String get(String path) throws IOException {
        return Http.get(port(), path);
    }

    @Override
    public void close() {
        for (Http.KeepAlive client : heldBeforeAttach) {
            try {
                client.close();
            } catch (IOException alreadyClosed) {
                // the test closed it
            }
        }
        target().close();
    }

    @Override
    public String toString() {
        return app + " on " + target().jdk() + " pid " + target().pid();
    }
}
