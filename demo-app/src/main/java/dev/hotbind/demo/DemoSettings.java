package dev.hotbind.demo;

import java.util.ArrayList;
import java.util.List;

/** What the command line asked for. */
final class DemoSettings {
    String host = "127.0.0.1";
    /** The orphan scenarios to run beside the listeners, each on an ephemeral port. */
    final List<OrphanScenarios.Kind> orphans = new ArrayList<>();
    /** 0: every listener on an ephemeral port; otherwise listener i on portBase + i. */
    int portBase;

    int port(int index) {
        return portBase == 0 ? 0 : portBase + index;
    }

    static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65532) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new IllegalArgumentException("bad port base '" + value + "'; expected 0 (ephemeral) or 1..65532");
    }
}
