package dev.hotbind.it.exporters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** A scrape in the Prometheus text format, read as Prometheus reads it: samples and their families' types. */
record Exposition(List<Sample> samples, Map<String, String> types) {

    /** One series' sample: its name, its labels, its value. */
    record Sample(String name, Map<String, String> labels, double value) {
        /** The series' identity: name and labels, without the value. */
        String series() {
            return name + labels;
        }
    }

    static Exposition parse(String text) {
        List<Sample> samples = new ArrayList<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                types.put(parts[2], parts[3]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return new Exposition(samples, types);
    }

    List<Sample> named(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The identities of the series whose name passes {@code names}, sorted. */
    Set<String> series(Predicate<String> names) {
        return samples.stream().filter(s -> names.test(s.name())).map(Sample::series)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The one sample of {@code name} whose labels include {@code labels}, or null. */
    Sample find(String name, Map<String, String> labels) {
        List<Sample> found = named(name).stream()
                .filter(s -> s.labels().entrySet().containsAll(labels.entrySet())).toList();
        if (found.size() > 1) {
            throw new AssertionError("several " + name + labels + ": " + found);
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /** The type the exposition gives the family of {@code sample} (a counter's family drops "_total"). */
    String typeOf(String sample) {
        String type = types.get(sample);
        return type != null || !sample.endsWith("_total") ? type
                : types.get(sample.substring(0, sample.length() - "_total".length()));
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        if (brace < 0 || brace > space) {
            return new Sample(line.substring(0, line.indexOf(' ')), Map.of(), value(line.substring(space + 1)));
        }
        Map<String, String> labels = new LinkedHashMap<>();
        int i = brace + 1;
        while (line.charAt(i) != '}') {
            int eq = line.indexOf('=', i);
            String label = line.substring(i, eq);
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\') {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            labels.put(label, value.toString());
            i = line.charAt(j + 1) == ',' ? j + 2 : j + 1;
        }
        return new Sample(line.substring(0, brace), labels, value(line.substring(line.indexOf(' ', i) + 1).trim()
                .split(" ")[0]));
    }

    private static double value(String text) {
        return switch (text) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(text);
        };
    }
}
