package dev.hotbind.bindretry;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What binds to one address went through with {@code bindRetry}: how often they waited and how it ended. */
public final class AddressRetries {
    private final String address;
    private final AtomicLong binds = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final AtomicLong bound = new AtomicLong();
    private final AtomicLong gaveUp = new AtomicLong();
    private final AtomicInteger waitingNow = new AtomicInteger();
    private volatile String lastOutcome = "";
    private volatile long lastEndedAtMillis;
    private volatile long lastWaitMillis;

    AddressRetries(String address) {
        this.address = address;
    }

    void waitBegan() {
        binds.incrementAndGet();
        waitingNow.incrementAndGet();
    }

    void retried() {
        retries.incrementAndGet();
    }

    void waitEnded(String outcome, int retriesOfThisBind, long waitedMillis) {
        if (BindWait.BOUND.equals(outcome)) {
            bound.incrementAndGet();
        } else if (BindWait.GAVE_UP.equals(outcome)) {
            gaveUp.incrementAndGet();
        }
        lastOutcome = outcome + " after " + retriesOfThisBind + " retries";
        lastWaitMillis = waitedMillis;
        lastEndedAtMillis = System.currentTimeMillis();
        waitingNow.decrementAndGet();
    }

    public String address() {
        return address;
    }

    /** Bind calls that found the address in use and waited. */
    public long binds() {
        return binds.get();
    }

    public long retries() {
        return retries.get();
    }

    /** Waits that ended with the application's socket bound. */
    public long bound() {
        return bound.get();
    }

    /** Waits whose duration passed: the application got its exception. */
    public long gaveUp() {
        return gaveUp.get();
    }

    /** Application threads inside a bind call waiting for this address now. */
    public int waitingNow() {
        return waitingNow.get();
    }

    /** How the latest wait ended, empty while none has. */
    public String lastOutcome() {
        return lastOutcome;
    }

    public long lastEndedAtMillis() {
        return lastEndedAtMillis;
    }

    public long lastWaitMillis() {
        return lastWaitMillis;
    }
}
