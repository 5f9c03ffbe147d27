package dev.hotbind.registry;

/** A thread inside accept on one listener, since a given time. Returned to advice as its token. */
public final class AcceptWaiter {
    final ListenerRecord listener;
    final Thread thread;
    final long sinceMillis;

    AcceptWaiter(ListenerRecord listener, Thread thread, long sinceMillis) {
        this.listener = listener;
        this.thread = thread;
        this.sinceMillis = sinceMillis;
    }

    public Thread thread() {
        return thread;
    }

    public long sinceMillis() {
        return sinceMillis;
    }
}
