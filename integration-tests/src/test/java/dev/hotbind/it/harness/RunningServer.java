package dev.hotbind.it.harness;

import dev.hotbind.it.apps.Replies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import javax.management.ObjectName;

/**
 * A real server running in a target JVM with hotbind, and its listener as hotbind knows it. The
 * listener is followed by id, since a move re-registers its MBean under a new name, and its current
 * port is kept here for clients that follow it.
 */
public final class RunningServer implements AutoCloseable {
    /** A server's start-up with the agent took up to 30 s here under a load average of 20 on 2 cores. */
    private static final Duration START_UP = Duration.ofMinutes(2);

    private final ServerApp app;
    private final TargetJvm target;
    private final HotbindJmx hotbind;
    private final long listenerId;
    private volatile int port;

    private RunningServer(ServerApp app, TargetJvm target, HotbindJmx hotbind, long listenerId, int port) {
        this.app = app;
        this.target = target;
        this.hotbind = hotbind;
        this.listenerId = listenerId;
        this.port = port;
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
        TargetJvm target = TargetJvm.on(jdk).mode(mode).jvmArg("-XX:TieredStopAtLevel=1").jvmArg("-XX:+UseSerialGC")
                .agentOptions(options).readyWithin(START_UP).start(Replies.READY, app.mainClass().getName());
        try {
            int port = target.awaitPort(app.portName());
            HotbindJmx hotbind = target.hotbind();
            ObjectName listener = mode == TargetJvm.Mode.ATTACH ? discover(hotbind, port)
                    : hotbind.awaitListenerOnPort(port);
            return new RunningServer(app, target, hotbind, (Long) hotbind.attribute(listener, "Id"), port);
        } catch (Exception | AssertionError e) {
            target.close();
            throw e;
        }
    }

    /**
     * After an attach a listener shows itself when its accept loop next runs instrumented code, so
     * requests are made until it does.
     */
    private static ObjectName discover(HotbindJmx hotbind, int port) {
        return Poll.value("the listener on port " + port + " discovered after attach", () -> {
            ObjectName found = hotbind.listenerOnPort(port);
            if (found == null) {
                try {
                    Http.get(port, "/");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return found;
        });
    }

    public ServerApp app() {
        return app;
    }

    public TargetJvm target() {
        return target;
    }

    public HotbindJmx hotbind() {
        return hotbind;
    }

    public long listenerId() {
        return listenerId;
    }

    /** The port the listener is on now, as far as the tests moved it. */
    public int port() {
        return port;
    }

    public void movedTo(int newPort) {
        port = newPort;
    }

    /** The listener's MBean now (its name changes when its address does). */
    public ObjectName listener() {
        return Poll.value("the MBean of listener #" + listenerId, () -> hotbind.listenerById(listenerId));
    }

    /** Whether the one thread inside accept now is the server's acceptor (for a blocking server). */
    public boolean acceptorInAccept() {
        String[] threads = (String[]) attribute("AcceptThreads");
        return threads.length == 1
                && app.acceptThread().matcher(threads[0].replaceFirst(" \\(since .*", "")).matches();
    }

    public Object attribute(String name) {
        return hotbind.attribute(listener(), name);
    }

    /** Invokes a listener operation; hotbind's refusal comes back as the exception JMX carries. */
    public Object invoke(String operation, Object... args) throws Exception {
        String[] signature = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            signature[i] = args[i].getClass().getName();
        }
        return hotbind.invoke(listener(), operation, args, signature);
    }

    /** drain(timeoutMillis) on the listener: waits for it and answers its summary. */
    public String drain(long timeoutMillis) throws Exception {
        return (String) hotbind.invoke(listener(), "drain", new Object[] {timeoutMillis}, new String[] {"long"});
    }

    public String get(String path) throws IOException {
        return Http.get(port, path);
    }

    @Override
    public void close() {
        target.close();
    }

    @Override
    public String toString() {
        return app + " on " + target.jdk() + " pid " + target.pid();
    }
}
