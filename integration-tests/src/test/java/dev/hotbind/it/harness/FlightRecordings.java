package dev.hotbind.it.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import jdk.jfr.EventType;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** A flight recording running in a target JVM from its start, dumped and read as JDK Mission Control reads it. */
public final class FlightRecordings {
    /** The target's JVM argument that starts the recording {@link #dump} reads. */
    public static final String JVM_ARG = "-XX:StartFlightRecording:name=hb";

    private FlightRecordings() {
    }

    /** Starts the recording {@link #dump} reads in a running target, as an operator would with jcmd. */
    public static void start(TargetJvm target) throws Exception {
        jcmd(target, "JFR.start", "name=hb");
    }

    /** Dumps the running recording with the target JDK's jcmd; returns the metadata's hotbind types. */
    public static Set<String> dump(TargetJvm target, Path file, List<RecordedEvent> into) throws Exception {
        String output = jcmd(target, "JFR.dump", "name=hb", "filename=" + file);
        assertTrue(Files.size(file) > 0, output);
        Set<String> types = new TreeSet<>();
        try (RecordingFile recording = new RecordingFile(file)) {
            for (EventType type : recording.readEventTypes()) {
                if (type.getName().startsWith("dev.hotbind.")) {
                    types.add(type.getName());
                }
            }
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (e.getEventType().getName().startsWith("dev.hotbind.")) {
                    into.add(e);
                }
            }
        }
        return types;
    }

    private static String jcmd(TargetJvm target, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of(target.jdk().home().resolve("bin/jcmd").toString(),
                Long.toString(target.pid())));
        line.addAll(List.of(command));
        Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, output);
        return output;
    }

    /** The events of {@code type} among {@code events}. */
    public static List<RecordedEvent> all(List<RecordedEvent> events, String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }
}
