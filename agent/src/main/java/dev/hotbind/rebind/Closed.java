package dev.hotbind.rebind;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.util.List;

/** What close() did. */
public record Closed(
        @Figure("hotbind's id of the listener") long listenerId,
        @Figure("host:port it listened on") String address,
        @Figure("connections it accepted that stay open") int connectionsLeftOpen) implements Answer {

    @Override
    public List<String> summary() {
        return List.of("closed listener #" + listenerId + " " + address + " as if the application had closed it",
                "its accept threads now see the close",
                connectionsLeftOpen + " connection(s) it accepted stay open");
    }
}
