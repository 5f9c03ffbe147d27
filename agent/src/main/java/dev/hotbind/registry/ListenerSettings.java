package dev.hotbind.registry;

import java.net.ProtocolFamily;

/**
 * What the application set on its listener that a replacement socket must have too; a receive buffer
 * of 0 means the system default, a null family the JDK's default.
 */
public record ListenerSettings(int backlog, boolean reusePort, int receiveBuffer, ProtocolFamily family) {
}
