package dev.hotbind.rebind;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.util.List;

/** What closeConnection(id) did. */
public record ConnectionClosed(
        @Figure("hotbind's id of the connection") long connectionId,
        @Figure("the client's host:port") String remoteAddress,
        @Figure("the thread that accepted it") String acceptThread,
        @Figure("hotbind's id of the listener that accepted it") long listenerId,
        @Figure("host:port of that listener") String listenerAddress) implements Answer {

    @Override
    public List<String> summary() {
        return List.of("closed connection #" + connectionId + " from " + remoteAddress,
                "accepted by '" + acceptThread + "' on listener #" + listenerId + " " + listenerAddress);
    }
}
