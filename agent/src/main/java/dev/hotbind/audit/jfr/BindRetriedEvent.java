package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("dev.hotbind.BindRetried")
@Label("Bind Retried")
@Category("hotbind")
@Description("An application bind refused with 'Address already in use' waited for its port (the bindRetry option); "
        + "the event's duration is the wait, on the application's thread inside its bind call")
@StackTrace(true)
final class BindRetriedEvent extends Event {
    @Label("Address")
    @Description("The address the application binds, host:port")
    String address;

    @Label("Retries")
    @Description("How many times the bind was run again")
    int retries;

    @Label("Outcome")
    @Description("bound; gave up (the duration passed, the application got its exception); or failed: another "
            + "exception the bind met meanwhile")
    String outcome;
}
