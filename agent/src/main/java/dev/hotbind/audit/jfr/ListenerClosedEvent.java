package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("dev.hotbind.ListenerClosed")
@Label("Listener Closed")
@Category("hotbind")
@Description("A listening socket was closed, by the application or by an operator through hotbind")
@StackTrace(false)
final class ListenerClosedEvent extends Event {
    @Label("Listener Id")
    long listenerId;

    @Label("Address")
    String address;

    @Label("Accepted Count")
    long acceptedCount;

    @Label("Open Connections")
    @Description("Connections it accepted that were still open when it closed")
    int openConnections;
}
