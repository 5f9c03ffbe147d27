package dev.hotbind.it.servers;

import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** One way of running a server under test: a JDK (by feature version) and how hotbind gets in. */
public record Setup(int feature, Mode mode) {

    /** Every JDK of {@link Jdk#all()} plus 17 and 25 even if absent (those tests then skip), by each mode. */
    public static List<Setup> all() {
        TreeSet<Integer> features = new TreeSet<>(List.of(17, 25));
        Jdk.all().forEach(jdk -> features.add(jdk.feature()));
        List<Setup> setups = new ArrayList<>();
        for (int feature : features) {
            setups.add(new Setup(feature, Mode.JAVAAGENT));
            setups.add(new Setup(feature, Mode.ATTACH));
        }
        return setups;
    }

    /** The {@link Mode#JAVAAGENT} setups of {@link #all()}: one per JDK. */
    public static List<Setup> javaagent() {
        return all().stream().filter(s -> s.mode() == Mode.JAVAAGENT).toList();
    }

    /** The {@link Mode#ATTACH} setups of {@link #all()}: one per JDK. */
    public static List<Setup> attach() {
        return all().stream().filter(s -> s.mode() == Mode.ATTACH).toList();
    }

    /** The JDK, or null where it is not installed. */
    public Jdk jdk() {
        return Jdk.all().stream().filter(j -> j.feature() == feature).findFirst().orElse(null);
    }

    @Override
    public String toString() {
        return "JDK " + feature + (mode == Mode.JAVAAGENT ? " -javaagent" : " attach");
    }
}
