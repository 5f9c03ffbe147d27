package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("dev.hotbind.ListenerSaturated")
@Label("Listener Saturated")
@Category("hotbind")
@Description("hotbind's audit found a listener's accept queue full: the kernel drops new connections' handshakes "
        + "until the application accepts; recorded when the finding appears")
@StackTrace(false)
final class ListenerSaturatedEvent extends Event {
    @Label("Listener Id")
    long listenerId;

    @Label("Address")
    String address;

    @Label("Accept Queue Depth")
    @Description("Connections waiting in the accept queue at the audit")
    long acceptQueueDepth;

    @Label("Backlog")
    @Description("The accept queue's limit: the backlog asked, capped by net.core.somaxconn")
    long backlog;

    @Label("Listen Overflows")
    @Description("The network namespace's TcpExt ListenOverflows since the queue was first seen full (every "
            + "listener of the namespace counts); -1: unknown")
    long listenOverflows;

    @Label("Suggestion")
    String suggestion;
}
