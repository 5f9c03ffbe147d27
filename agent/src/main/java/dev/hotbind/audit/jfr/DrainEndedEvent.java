package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name("dev.hotbind.DrainEnded")
@Label("Drain Ended")
@Category("hotbind")
@Description("A drain ended; the event's duration is the whole drain, from the port's release")
@StackTrace(false)
final class DrainEndedEvent extends Event {
    @Label("Listener Id")
    long listenerId;

    @Label("Address")
    String address;

    @Label("Open At Start")
    int openAtStart;

    @Label("Closed By Application")
    long closedByApplication;

    @Label("Force Closed")
    @Description("Connections hotbind closed when the timeout passed")
    int forceClosed;

    @Label("Left Open")
    @Description("Connections that could not be closed")
    int leftOpen;

    @Label("Timeout")
    @Timespan(Timespan.MILLISECONDS)
    long timeout;
}
