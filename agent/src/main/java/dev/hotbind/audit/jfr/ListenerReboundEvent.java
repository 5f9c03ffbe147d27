package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Timespan;

@Name("dev.hotbind.ListenerRebound")
@Label("Listener Rebound")
@Category("hotbind")
@Description("hotbind replaced a listener's socket under the application's own socket object: on the same port, "
        + "on another address (rebindTo), or resuming an unbound listener; the event's duration is the swap")
@StackTrace(false)
final class ListenerReboundEvent extends Event {
    @Label("Listener Id")
    long listenerId;

    @Label("Old Address")
    String oldAddress;

    @Label("New Address")
    String newAddress;

    @Label("Rebind Kind")
    @Description("same-port, rebindTo or from UNBOUND")
    String rebindKind;

    @Label("Pause")
    @Description("How long the listener did not accept during the swap, as hotbind measured it inside")
    @Timespan(Timespan.MICROSECONDS)
    long pause;

    @Label("Queued")
    @Description("Connections waiting in the old socket's queue (-1: left to the kernel to move)")
    int queued;

    @Label("Handed Over")
    @Description("Queued connections handed to the application on the new socket")
    int handedOver;
}
