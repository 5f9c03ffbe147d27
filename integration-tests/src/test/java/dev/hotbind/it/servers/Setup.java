package dev.hotbind.it.servers;

import dev.hotbind.it.harness.Jdk;
import dev.hotbind.it.harness.TargetJvm.Mode;
import java.util.ArrayList;
import java.util.List;

/** One way of running a server under test: a JDK (by feature version) and how hotbind gets in. */
public record Setup(int feature, Mode mode) {

    /** Every JDK of {@link Jdk#all()} (17 and 25: a missing one fails the run), by each mode. */
    public static List<Setup> all() {
        List<Setup> setups = new ArrayList<>();
        Jdk.all().stream().map(Jdk::feature).sorted().forEach(feature -> {
            setups.add(new Setup(feature, Mode.JAVAAGENT));
            setups.add(new Setup(feature, Mode.ATTACH));
        });
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

    public Jdk jdk() {
        return Jdk.all().stream().filter(j -> j.feature() == feature).findFirst().orElseThrow();
    }

    @Override
    public String toString() {
        return "JDK " + feature + (mode == Mode.JAVAAGENT ? " -javaagent" : " attach");
    }
}
