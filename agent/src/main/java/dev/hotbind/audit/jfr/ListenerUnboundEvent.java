package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name("dev.hotbind.ListenerUnbound")
@Label("Listener Unbound")
@Category("hotbind")
@Description("hotbind released a listener's port while the application's accept threads wait inside accept; the "
        + "event's duration is the swap")
@StackTrace(false)
final class ListenerUnboundEvent extends Event {
    @Label("Listener Id")
    long listenerId;

    @Label("Address")
    String address;

    @Label("Pause")
    @Description("How long the swap to the parked socket took, as hotbind measured it inside")
    @Timespan(Timespan.MICROSECONDS)
    long pause;

    @Label("Queued")
    @Description("Connections waiting in the released socket's queue (-1: left to the kernel)")
    int queued;

    @Label("Handed Over")
    @Description("Queued connections handed to the application")
    int handedOver;
}
