package dev.hotbind.it.servers;

import dev.hotbind.it.harness.ServerApp;

/** Netty NIO: a non-blocking server channel on the boss loop's selector. */
class NettyIT extends ServerTargets implements ObservesListener, RebindsListener, DrainsListener {
    NettyIT() {
        super(ServerApp.NETTY);
    }
}
