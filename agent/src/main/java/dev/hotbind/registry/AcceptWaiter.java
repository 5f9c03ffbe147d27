package dev.hotbind.registry;

/** A thread inside accept on one listener, since a given time. Returned to advice as its token. */
public final class AcceptWaiter {
    final ListenerRecord listener;
    final Thread thread;
    final long sinceMillis;
    /** Found by the attach discovery: inside an accept that started before the attach (since unknown). */
    final boolean discovered;

    AcceptWaiter(ListenerRecord listener, Thread thread, long sinceMillis, boolean discovered) {
        this.listener = listener;
        this.thread = thread;
        this.sinceMillis = sinceMillis;
        this.discovered = discovered;
    }

    public ListenerRecord listener() {
        return listener;
    }

    public boolean discovered() {
        return discovered;
    }

    public Thread thread() {
        return thread;
    }

    /** 0 for a discovered waiter: it entered accept before the attach. */
    public long sinceMillis() {
        return sinceMillis;
    }
}
