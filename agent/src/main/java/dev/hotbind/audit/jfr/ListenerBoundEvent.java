package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("dev.hotbind.ListenerBound")
@Label("Listener Bound")
@Category("hotbind")
@Description("The application bound a listening socket; the stack trace is where (hotbind's own frames on top)")
@StackTrace(true)
final class ListenerBoundEvent extends Event {
    @Label("Listener Id")
    long listenerId;

    @Label("Address")
    String address;

    @Label("Kind")
    @Description("ServerSocket or ServerSocketChannel")
    String kind;

    @Label("Requested Backlog")
    int backlog;

    @Label("Binding Thread")
    String bindThread;
}
