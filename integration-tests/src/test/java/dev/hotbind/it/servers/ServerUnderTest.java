package dev.hotbind.it.servers;

import dev.hotbind.it.harness.RunningServer;

/** Gives the tests of a server class the running target for a setup. */
interface ServerUnderTest {
    /** The server running in {@code setup}, started on first use. */
    RunningServer server(Setup setup) throws Exception;

    /**
     * A second server in {@code setup}, with the agent option {@link #DRAIN_ON_SHUTDOWN}, for a test that
     * ends its JVM; started on first use.
     */
    RunningServer exiting(Setup setup) throws Exception;

    String SETUPS = "dev.hotbind.it.servers.Setup#all";
    String JAVAAGENT_SETUPS = "dev.hotbind.it.servers.Setup#javaagent";
    String ATTACH_SETUPS = "dev.hotbind.it.servers.Setup#attach";
    /** Far above what the slow requests need: the exit ends the drain as soon as they are done. */
    String DRAIN_ON_SHUTDOWN = "drainOnShutdown=30s";
}
