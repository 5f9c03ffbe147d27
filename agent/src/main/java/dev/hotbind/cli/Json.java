package dev.hotbind.cli;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * The {@code --json} form of a read command: one JSON document on stdout. Open data maps onto JSON as
 * JMX describes it (a composite is an object, a table an array of its rows), so the field names are
 * the MBeans' own column names, which are kept stable.
 */
final class Json {
    private Json() {
    }

    static String of(Object value) {
        StringBuilder out = new StringBuilder();
        write(value, out);
        return out.append('\n').toString();
    }

    /** A composite row as a map with its columns in the order its type declares them. */
    static Map<String, Object> fields(CompositeData row) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : row.getCompositeType().keySet()) {
            map.put(key, row.get(key));
        }
        return map;
    }

    private static void write(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String || value instanceof Character) {
            string(value.toString(), out);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? value.toString() : "null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof CompositeData) {
            object(fields((CompositeData) value), out);
        } else if (value instanceof TabularData) {
            // before Map: TabularDataSupport is also a Map, keyed by each row's index
            array(((TabularData) value).values(), out);
        } else if (value instanceof Map) {
            object((Map<?, ?>) value, out);
        } else if (value instanceof Collection) {
            array((Collection<?>) value, out);
        } else if (value.getClass().isArray()) {
            out.append('[');
            for (int i = 0; i < Array.getLength(value); i++) {
                out.append(i == 0 ? "" : ",");
                write(Array.get(value, i), out);
            }
            out.append(']');
        } else {
            string(value.toString(), out);
        }
    }

    private static void object(Map<?, ?> map, StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.append(first ? "" : ",");
            first = false;
            string(String.valueOf(e.getKey()), out);
            out.append(':');
            write(e.getValue(), out);
        }
        out.append('}');
    }

    private static void array(Collection<?> values, StringBuilder out) {
        out.append('[');
        boolean first = true;
        for (Object v : values) {
            out.append(first ? "" : ",");
            first = false;
            write(v, out);
        }
        out.append(']');
    }

    private static void string(String text, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
