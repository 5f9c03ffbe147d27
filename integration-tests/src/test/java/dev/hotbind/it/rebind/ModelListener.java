package dev.hotbind.it.rebind;

import dev.hotbind.it.harness.ChurnClient;
import dev.hotbind.it.harness.HotbindJmx;
import dev.hotbind.it.harness.OperatedListener;
import dev.hotbind.it.harness.TargetJvm;
import java.io.IOException;
import javax.management.ObjectName;

/**
 * One accept model's listener in {@code AcceptModelsApp} ({@code socket}, {@code channel},
 * {@code selector}, {@code virtual}, {@code early}): every connection is answered with one byte, and a
 * blocking model's acceptor thread is {@code <model>-acceptor}.
 */
final class ModelListener extends OperatedListener {
    private final String model;

    private ModelListener(TargetJvm target, HotbindJmx hotbind, String model, long id, int port) {
        super(target, hotbind, id, port);
        this.model = model;
    }

    /** The model's listener as a test in {@code mode} must find it: after an attach, with no traffic since. */
    static ModelListener found(TargetJvm target, String model, TargetJvm.Mode mode) throws IOException {
        int port = target.awaitPort(model);
        HotbindJmx hotbind = target.hotbind();
        ObjectName name = hotbind.listenerOnPort(port, mode);
        return new ModelListener(target, hotbind, model, (Long) hotbind.attribute(name, "Id"), port);
    }

    String model() {
        return model;
    }

    @Override
    public ChurnClient.Exchange exchange() {
        return ChurnClient.ONE_BYTE;
    }

    @Override
    public boolean blocking() {
        return !model.equals("selector");
    }

    @Override
    public boolean acceptorInAccept() {
        String[] waiting = (String[]) attribute("AcceptThreads");
        return waiting.length > 0 && waiting[0].startsWith(model + "-acceptor");
    }

    @Override
    public String toString() {
        return "accept model " + model + " on " + target().jdk() + " pid " + target().pid();
    }
}
