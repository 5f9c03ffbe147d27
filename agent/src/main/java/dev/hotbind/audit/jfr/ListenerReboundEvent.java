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
@Description("hotbind moved a listener to a new address under the application's own socket object")
@StackTrace(false)
final class ListenerReboundEvent extends Event {
    @Label("Listener Id")
    long listenerId;

    @Label("Old Address")
    String oldAddress;

    @Label("New Address")
    String newAddress;

    @Label("Pause")
    @Description("How long the listener did not accept during the rebind")
    @Timespan(Timespan.MICROSECONDS)
    long pause;
}
