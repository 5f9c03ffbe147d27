package dev.hotbind.it.servers;

import dev.hotbind.it.harness.ServerApp;

/** The JDK HttpServer: bound through the channel's socket adaptor, accepting when its selector fires. */
class HttpServerIT extends ServerTargets implements ObservesListener, RebindsListener, DrainsListener {
    HttpServerIT() {
        super(ServerApp.HTTP_SERVER);
    }
}
