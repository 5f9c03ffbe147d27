package dev.hotbind.it.harness;

import java.io.IOException;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;

/**
 * A listener of an application in a target JVM that the operation tests act on, whichever application
 * holds it: its MBean, followed by id, since a move re-registers it under a new name; the port it is on
 * now, kept here for clients that follow it; how a client is served on it.
 */
public abstract class OperatedListener {
    private final TargetJvm target;
    private final HotbindJmx hotbind;
    private final long listenerId;
    private volatile int port;

    protected OperatedListener(TargetJvm target, HotbindJmx hotbind, long listenerId, int port) {
        this.target = target;
        this.hotbind = hotbind;
        this.listenerId = listenerId;
        this.port = port;
    }

    /** One request as the application's clients make it: a churn client repeats it. */
    public abstract ChurnClient.Exchange exchange();

    /** Whether a thread of the application waits inside accept (not a selector's). */
    public abstract boolean blocking();

    /** Whether the application's acceptor is inside accept now; only for {@link #blocking()} listeners. */
    public abstract boolean acceptorInAccept();

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

    public Object attribute(String name) {
        return hotbind.attribute(listener(), name);
    }

    /** Invokes a listener operation; hotbind's refusal comes back as the exception JMX carries. */
    public CompositeData invoke(String operation, Object... args) throws Exception {
        String[] signature = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            signature[i] = args[i].getClass().getName();
        }
        return hotbind.invoke(listener(), operation, args, signature);
    }

    /** Whether a new client is served now. */
    public boolean serves() {
        try {
            exchange().run(port);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
