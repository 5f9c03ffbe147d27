package dev.hotbind.it.apps;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Binds a plain ServerSocket first thing in main, then looks in its own platform MBeanServer for
 * hotbind's MBean of that listener, for at most 15 s, and says whether it found it. No JMX connector
 * is started, so one start costs one JVM start-up: cheap enough to repeat many times.
 */
public final class SelfCheckingApp {
    public static final String READY = "self-check done";
    private static final long WAIT_MILLIS = 15_000;

    private SelfCheckingApp() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = server.getLocalPort();
            MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
            ObjectName listeners = new ObjectName("dev.hotbind:type=Listener,*");
            long deadline = System.currentTimeMillis() + WAIT_MILLIS;
            boolean found = false;
            while (!found && System.currentTimeMillis() < deadline) {
                for (ObjectName name : mbeans.queryNames(listeners, null)) {
                    found |= Integer.valueOf(port).equals(mbeans.getAttribute(name, "LocalPort"));
                }
                if (!found) {
                    Thread.sleep(50);
                }
            }
            Set<ObjectName> all = mbeans.queryNames(new ObjectName("dev.hotbind:*"), null);
            System.out.println((found ? "registered" : "missing") + " port " + port + ": " + all);
            System.out.println(READY);
        }
    }
}
