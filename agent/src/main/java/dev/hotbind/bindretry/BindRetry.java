package dev.hotbind.bindretry;

import dev.hotbind.audit.jfr.ListenerEvents;
import dev.hotbind.bootstrap.Hooks;
import dev.hotbind.options.AgentOptions;
import dev.hotbind.registry.BindFailures;
import dev.hotbind.registry.HostPort;
import java.net.BindException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The {@code bindRetry} option: an application bind refused with "Address already in use" waits, on the
 * application's own thread inside its bind call, and is run again until the port frees or the option's
 * duration has passed; then the application gets the exception of its first attempt, as it would have
 * without hotbind. Nothing of hotbind's reaches the application: it sees its bind return, or its own
 * exception. hotbind's own binds (a rebind's socket) are never retried.
 */
public final class BindRetry implements BindFailures {
    /** The pause before the first retry; it doubles up to {@link #MAX_PAUSE_MILLIS}. */
    private static final long FIRST_PAUSE_MILLIS = 5;
    /** How late a freed port is taken at most. */
    private static final long MAX_PAUSE_MILLIS = 100;
    /** Addresses counted one by one; binds to further addresses are counted together. */
    private static final int MAX_ADDRESSES = 256;
    static final String OTHER_ADDRESSES = "(other addresses)";

    private final AtomicLong retries = new AtomicLong();
    private final Map<String, AddressRetries> byAddress = new ConcurrentHashMap<>();
    private volatile long windowMillis;

    public BindRetry(AgentOptions options) {
        configure(options);
    }

    /** Takes the duration a repeat attach gave; binds already waiting keep the deadline they had. */
    public void configure(AgentOptions options) {
        windowMillis = options.bindRetryMillis();
    }

    /** Waits and answers the wait to bind again; or the first failure once the duration passed; or null. */
    @Override
    public Object failed(Object previous, Object endpoint, Throwable failure) {
        BindWait wait = (BindWait) previous;
        if (!addressInUse(failure)) {
            if (wait != null) {
                // e.g. the application closed the socket meanwhile: that is the answer now
                wait.end("failed: " + failure);
            }
            return null;
        }
        if (wait == null) {
            long window = windowMillis;
            if (window == 0 || Hooks.isInternal()) {
                return null;
            }
            String address = endpoint instanceof SocketAddress ? HostPort.of((SocketAddress) endpoint) : "";
            wait = new BindWait(address, entry(address), failure, window, ListenerEvents.beginBindRetried());
        }
        if (!wait.pause(Math.min(MAX_PAUSE_MILLIS, FIRST_PAUSE_MILLIS << Math.min(wait.retries(), 10)))) {
            wait.end(BindWait.GAVE_UP);
            return wait.firstFailure();
        }
        wait.retrying();
        retries.incrementAndGet();
        return wait;
    }

    @Override
    public void succeeded(Object previous) {
        ((BindWait) previous).end(BindWait.BOUND);
    }

    /** Binds run again since hotbind started, on every address. */
    public long retries() {
        return retries.get();
    }

    /** Per address the application bound with retries, in no particular order. */
    public List<AddressRetries> addresses() {
        return new ArrayList<>(byAddress.values());
    }

    private AddressRetries entry(String address) {
        AddressRetries known = byAddress.get(address);
        if (known != null) {
            return known;
        }
        String key = byAddress.size() < MAX_ADDRESSES ? address : OTHER_ADDRESSES;
        return byAddress.computeIfAbsent(key, AddressRetries::new);
    }

    /** EADDRINUSE as the JDK reports it from bind(2) or listen(2); any other failure is the application's answer. */
    private static boolean addressInUse(Throwable failure) {
        return failure instanceof BindException && String.valueOf(failure.getMessage()).contains("already in use");
    }
}
