package dev.hotbind.drain;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.util.ArrayList;
import java.util.List;

/** What a drain of one listener did. */
public record Drained(
        @Figure("hotbind's id of the listener") long listenerId,
        @Figure("host:port it listened on, where rebind() resumes") String address,
        @Figure("how long the drain took, in milliseconds, from the release of the port") long millis,
        @Figure("how long the application was given to close its connections, in milliseconds") long timeoutMillis,
        @Figure("connections open when the port was released") int openAtStart,
        @Figure("connections the application closed itself during the drain") long closedByApplication,
        @Figure("connections hotbind force-closed when the timeout passed") int forceClosed,
        @Figure("connections still open that could not be closed") int notClosed,
        @Figure("whether the application closed the listener meanwhile (else the port stays released and the "
                + "accept threads held)") boolean listenerClosed) implements Answer {

    @Override
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add("drained listener #" + listenerId + " " + address + " in " + millis + " ms");
        lines.add(closedByApplication + " connection(s) closed by the application");
        lines.add(forceClosed + " force-closed" + (forceClosed > 0 ? " when the " + timeoutMillis + " ms timeout passed"
                : ""));
        if (notClosed > 0) {
            lines.add(notClosed + " could not be closed");
        }
        lines.add(listenerClosed ? "the listener was closed meanwhile"
                : "the port stays released and the accept threads held: rebind() resumes accepting, close() closes it");
        return lines;
    }
}
