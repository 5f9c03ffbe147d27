package dev.hotbind.audit.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

@Name("dev.hotbind.OrphanDetected")
@Label("Orphan Detected")
@Category("hotbind")
@Description("hotbind's audit found an orphaned accept thread, listener or connection, or an unmanaged listener")
@StackTrace(false)
final class OrphanDetectedEvent extends Event {
    @Label("Kind")
    String kind;

    @Label("Key")
    @Description("Identifies the finding from one audit to the next")
    String key;

    @Label("Summary")
    String summary;
}
