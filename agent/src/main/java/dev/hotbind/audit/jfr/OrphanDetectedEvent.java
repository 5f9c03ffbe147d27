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

    @Label("Listener Id")
    @Description("The listener concerned; -1 for an unmanaged listener, which hotbind has no id for")
    long listenerId;

    @Label("Connection Id")
    @Description("The orphaned connection's id (closeConnection takes it); -1 for other kinds")
    long connectionId;

    @Label("Thread Id")
    @Description("The orphaned accept thread's id; -1 for other kinds")
    long threadId;

    @Label("Inode")
    @Description("An unmanaged listener's socket inode; -1 for other kinds")
    long inode;
}
