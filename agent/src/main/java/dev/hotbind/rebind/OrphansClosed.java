package dev.hotbind.rebind;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** What closeOrphanedConnections() did. */
public record OrphansClosed(
        @Figure("ids of the orphaned connections closed") long[] closed,
        @Figure("why each of the others could not be closed") String[] failed) implements Answer {

    @Override
    public List<String> summary() {
        List<String> lines = new ArrayList<>();
        lines.add("closed " + closed.length + " orphaned connection(s)" + (closed.length == 0 ? ""
                : ": " + Arrays.toString(Arrays.stream(closed).mapToObj(id -> "#" + id).toArray())));
        for (String failure : failed) {
            lines.add("could not close: " + failure);
        }
        return lines;
    }
}
