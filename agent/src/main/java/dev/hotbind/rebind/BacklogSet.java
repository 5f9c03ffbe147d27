package dev.hotbind.rebind;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.util.List;

/** What setBacklog() did. */
public record BacklogSet(
        @Figure("hotbind's id of the listener") long listenerId,
        @Figure("host:port it listens on") String address,
        @Figure("the accept queue's limit before; -1: not known (bound before hotbind was attached)") long before,
        @Figure("the backlog asked for") int requested,
        @Figure("the limit the kernel applies now: the backlog asked, capped by net.core.somaxconn") long effective,
        @Figure("net.core.somaxconn as read now") long somaxconn) implements Answer {

    @Override
    public List<String> summary() {
        return List.of("listener #" + listenerId + " " + address + ": accept queue limit "
                        + (before < 0 ? "(unknown: bound before hotbind was attached)" : Long.toString(before)) + " -> "
                        + effective + (effective < requested ? " (" + requested + " asked, capped by net.core.somaxconn="
                        + somaxconn + ")" : ""),
                "in place: listen(2) again on the same socket, nothing refused or reset, what waits in its queue stays",
                "a later rebind() keeps it");
    }
}
