package dev.hotbind.it.servers;

import dev.hotbind.it.harness.ServerApp;

/** Embedded Jetty 12, one acceptor thread blocking in ServerSocketChannel.accept(). */
class JettyIT extends ServerTargets implements ObservesListener, RebindsListener, DrainsListener {
    JettyIT() {
        super(ServerApp.JETTY);
    }
}
