package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name("dev.hotbind.DrainStarted")
@Label("Drain Started")
@Category("hotbind")
@Description("A drain released a listener's port and began waiting for its connections to be closed")
@StackTrace(false)
final class DrainStartedEvent extends Event {
    @Label("Listener Id")
    long listenerId;

    @Label("Address")
    String address;

    @Label("Open Connections")
    @Description("Connections it accepted that were open when the drain began")
    int openConnections;

    @Label("Timeout")
    @Description("When the connections still open are force-closed")
    @Timespan(Timespan.MILLISECONDS)
    long timeout;
}
