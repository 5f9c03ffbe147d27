package dev.hotbind.jmx;

import dev.hotbind.answer.Answer;
import dev.hotbind.answer.Figure;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.management.openmbean.ArrayType;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.CompositeDataSupport;
import javax.management.openmbean.CompositeType;
import javax.management.openmbean.OpenDataException;
import javax.management.openmbean.OpenType;
import javax.management.openmbean.SimpleType;

/**
 * An operation's {@link Answer} as open data: one item per record component, typed, described by its
 * {@link Figure}, then {@code summary}, the facts one per line, and {@code Facts}, the same as an array.
 * Only JDK types travel, so a client
 * without hotbind's classes (JConsole, Jolokia, jmx_exporter, a script) reads every field.
 */
final class Answers {
    static final String SUMMARY = "summary";
    /**
     * The summary's facts as an array. JConsole shows an operation's answer as a small table sorted by
     * item name, long strings cut off at the edge; an array there is one row to double-click, which opens
     * the facts one per row. The capital letter sorts it first.
     */
    static final String FACTS = "Facts";

    private static final Map<Class<?>, CompositeType> TYPES = new ConcurrentHashMap<>();

    private Answers() {
    }

    /**
     * The open type of {@code answer}'s results, the operation's declared return type. Not through
     * computeIfAbsent: building a type that holds another answer's (drainAll's drains) looks that one
     * up too, and a map updated from inside its own computeIfAbsent may throw "Recursive update".
     */
    static CompositeType type(Class<? extends Answer> answer) {
        CompositeType known = TYPES.get(answer);
        if (known == null) {
            TYPES.putIfAbsent(answer, build(answer));
            known = TYPES.get(answer);
        }
        return known;
    }

    static CompositeData of(Answer answer) {
        RecordComponent[] components = answer.getClass().getRecordComponents();
        List<String> names = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        try {
            for (RecordComponent c : components) {
                names.add(c.getName());
                values.add(open(c.getAccessor().invoke(answer)));
            }
            names.add(SUMMARY);
            values.add(String.join("\n", answer.summary()));
            names.add(FACTS);
            values.add(answer.summary().toArray(new String[0]));
            return new CompositeDataSupport(type(answer.getClass()), names.toArray(new String[0]), values.toArray());
        } catch (ReflectiveOperationException | OpenDataException e) {
            throw new IllegalStateException("cannot describe " + answer.getClass().getSimpleName() + ": " + e, e);
        }
    }

    private static Object open(Object value) {
        if (value instanceof Answer[] answers) {
            CompositeData[] rows = new CompositeData[answers.length];
            for (int i = 0; i < answers.length; i++) {
                rows[i] = of(answers[i]);
            }
            return rows;
        }
        return value;
    }

    private static CompositeType build(Class<?> answer) {
        RecordComponent[] components = answer.getRecordComponents();
        String[] names = new String[components.length + 2];
        String[] descriptions = new String[names.length];
        OpenType<?>[] types = new OpenType<?>[names.length];
        try {
            for (int i = 0; i < components.length; i++) {
                RecordComponent c = components[i];
                Figure figure = c.getAnnotation(Figure.class);
                names[i] = c.getName();
                descriptions[i] = figure == null ? c.getName() : figure.value();
                types[i] = openType(c.getType());
            }
            names[components.length] = SUMMARY;
            descriptions[components.length] = "what happened, one fact per line, for a person to read";
            types[components.length] = SimpleType.STRING;
            names[components.length + 1] = FACTS;
            descriptions[components.length + 1] = "the same facts, one per element (JConsole: double-click to "
                    + "read them one per row)";
            types[components.length + 1] = ArrayType.getArrayType(SimpleType.STRING);
            return new CompositeType(answer.getName(), "what " + answer.getSimpleName() + " reports", names,
                    descriptions, types);
        } catch (OpenDataException e) {
            throw new IllegalStateException("no open type for " + answer.getName() + ": " + e, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static OpenType<?> openType(Class<?> type) throws OpenDataException {
        if (type == long.class) {
            return SimpleType.LONG;
        }
        if (type == int.class) {
            return SimpleType.INTEGER;
        }
        if (type == boolean.class) {
            return SimpleType.BOOLEAN;
        }
        if (type == String.class) {
            return SimpleType.STRING;
        }
        if (type.isArray() && type.getComponentType().isPrimitive()) {
            return ArrayType.getPrimitiveArrayType(type);
        }
        if (type == String[].class) {
            return ArrayType.getArrayType(SimpleType.STRING);
        }
        if (type.isArray() && Answer.class.isAssignableFrom(type.getComponentType())) {
            return ArrayType.getArrayType(type((Class<? extends Answer>) type.getComponentType()));
        }
        throw new OpenDataException("no open type for a figure of type " + type.getName());
    }
}
