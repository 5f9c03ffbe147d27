package dev.hotbind.drain;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.util.ArrayList;
import java.util.List;

/** What a drain of every listener did. */
public record DrainedAll(
        @Figure("each drained listener's result") Drained[] drained,
        @Figure("listeners not drained, and why: the JVM's own JMX connector, a refusal") String[] notDrained,
        @Figure("connections the application closed itself, all listeners together") long closedByApplication,
        @Figure("connections force-closed when the timeout passed, all listeners together") int forceClosed,
        @Figure("connections still open that could not be closed, all listeners together") int notClosed)
        implements Answer {

    static DrainedAll of(List<Drained> drained, List<String> notDrained) {
        return new DrainedAll(drained.toArray(new Drained[0]), notDrained.toArray(new String[0]),
                drained.stream().mapToLong(Drained::closedByApplication).sum(),
                drained.stream().mapToInt(Drained::forceClosed).sum(),
                drained.stream().mapToInt(Drained::notClosed).sum());
    }

    /** One line per listener: a drain of many is read listener by listener. */
    @Override
    public List<String> summary() {
        List<String> lines = new ArrayList<>(List.of(notDrained));
        for (Drained d : drained) {
            lines.add(d.line());
        }
        return lines.isEmpty() ? List.of("no listener to drain") : lines;
    }
}
