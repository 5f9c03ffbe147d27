package dev.hotbind.it.servers;

import dev.hotbind.it.harness.RunningServer;

/** Gives the tests of a server class the running target for a setup. */
interface ServerUnderTest {
    /** The server running in {@code setup}, started on first use; skips where the JDK is absent. */
    RunningServer server(Setup setup) throws Exception;

    String SETUPS = "dev.hotbind.it.servers.Setup#all";
}
