package dev.hotbind.it.servers;

import dev.hotbind.it.harness.ServerApp;

/** Netty NIO: a non-blocking server channel on the boss loop's selector. */
class NettyTest extends ServerTargets implements ObservesListener, RebindsListener {
    NettyTest() {
        super(ServerApp.NETTY);
    }
}
