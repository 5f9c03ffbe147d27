package dev.hotbind.it.servers;

import dev.hotbind.it.harness.ServerApp;

/** Embedded Tomcat, NIO connector: its Acceptor thread blocks in ServerSocketChannel.accept(). */
class TomcatIT extends ServerTargets implements ObservesListener, RebindsListener, DrainsListener {
    TomcatIT() {
        super(ServerApp.TOMCAT);
    }
}
