package dev.hotbind.bench;

import dev.hotbind.bench.load.Load;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.openmbean.CompositeData;

/**
 * What the same-address rebinds under connection churn did, in one network namespace: latencies as the
 * operator sees them (the JMX call) and as the agent reports them (its answer's {@code micros}), a plain
 * JMX attribute read beside them for scale, and every client outcome while they ran; then the agent's
 * latencies of moves ({@code rebindTo}), {@code unbind()} and the {@code rebind()} that resumes an
 * unbound listener; {@code model} and {@code agent}: the bench server's accept model and how the agent came
 * in ({@code -javaagent} or {@code attach}). Travels from the child JVM in its namespace to the driver as one line.
 */
record RebindRun(int migrateReq, String where, List<Double> jmxMicros, List<Double> agentMicros,
                 List<Double> attributeMicros, long mbeanAbsent, Load.Counts counts, long acceptFailures,
                 String failure, List<Double> moveMicros, List<Double> unbindMicros, List<Double> resumeMicros,
                 String model, String agent) {

    public static final String LINE_PREFIX = "rebind-run ";

    /** A run that could not happen, with why. */
    public static RebindRun failed(int migrateReq, String where, String why) {
        return failed(migrateReq, where, why, RebindBench.Target.PART_4);
    }

    /** The same for one accept model and agent mode. */
    public static RebindRun failed(int migrateReq, String where, String why, RebindBench.Target target) {
        return new RebindRun(migrateReq, where, List.of(), List.of(), List.of(), 0, Load.Counts.NONE, 0, why,
                List.of(), List.of(), List.of(), target.model(), target.agent());
    }

    /** The agent's own duration in an operation's answer, its {@code micros} field, or NaN if it has none. */
    public static double reportedMicros(Object answer) {
        return answer instanceof CompositeData data && data.containsKey("micros")
                ? ((Long) data.get("micros")).doubleValue() : Double.NaN;
    }

    public String toLine() {
        Load.Counts c = counts;
        return LINE_PREFIX + migrateReq + "\t" + where + "\t" + join(jmxMicros) + "\t" + join(agentMicros) + "\t"
                + join(attributeMicros) + "\t" + mbeanAbsent + "\t" + c.ok() + "," + c.refused() + "," + c.reset() + "," + c.dropped() + "," + c.timedOut() + ","
                + c.other() + "," + c.delayed() + "\t" + acceptFailures + "\t" + oneLine(c.firstOther()) + "\t"
                + oneLine(failure) + "\t" + join(moveMicros) + "\t" + join(unbindMicros) + "\t" + join(resumeMicros) + "\t" + model + "\t" + agent;
    }

    public static RebindRun parse(String line) {
        String[] f = line.substring(LINE_PREFIX.length()).split("\t", -1);
        String[] c = f[6].split(",");
        Load.Counts counts = new Load.Counts(Long.parseLong(c[0]), Long.parseLong(c[1]), Long.parseLong(c[2]),
                Long.parseLong(c[3]), Long.parseLong(c[4]), Long.parseLong(c[5]), Long.parseLong(c[6]),
                f[8].isEmpty() ? null : f[8]);
        return new RebindRun(Integer.parseInt(f[0]), f[1], split(f[2]), split(f[3]), split(f[4]), Long.parseLong(f[5]),
                counts, Long.parseLong(f[7]), f[9].isEmpty() ? null : f[9], split(f[10]), split(f[11]), split(f[12]), f[13], f[14]);
    }

    private static String join(List<Double> values) {
        List<String> out = new ArrayList<>();
        for (double v : values) {
            out.add(String.format(Locale.ROOT, "%.1f", v));
        }
        return String.join(",", out);
    }

    private static List<Double> split(String text) {
        List<Double> out = new ArrayList<>();
        if (!text.isEmpty()) {
            for (String v : text.split(",")) {
                out.add(Double.parseDouble(v));
            }
        }
        return out;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ');
    }
}
