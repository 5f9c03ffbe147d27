package dev.hotbind.answer;

import java.util.List;

/**
 * What an operation did, as a record whose components are its figures (each described by a
 * {@link Figure}) and a summary a person reads, one fact per line. The JMX layer turns it into open data,
 * so JConsole shows the lines, Jolokia and scripts read typed fields, and no client parses prose.
 */
public interface Answer {
    /** One fact per line, in the order a person reads them. */
    List<String> summary();

    /** The summary on one line, for a log line or an attribute. */
    default String line() {
        return String.join("; ", summary());
    }
}
