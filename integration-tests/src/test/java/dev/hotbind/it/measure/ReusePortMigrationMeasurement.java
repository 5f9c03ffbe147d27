package dev.hotbind.it.measure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.hotbind.it.harness.Migration;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A measurement, not part of the test suite: the control for hotbind's same-port rebind, with no
 * agent at all. A port is handed from listener to listener the way the kernel allows it to be (the
 * next one joins the port's SO_REUSEPORT group, the old one is closed) while two clients churn
 * connections; it prints how many of them were reset. With {@code net.ipv4.tcp_migrate_req=1} this
 * is the kernel's own floor for "0 resets". Run it in a network namespace of its own, as root:
 * {@code unshare -n sh -c 'ip link set lo up && sysctl -qw net.ipv4.tcp_migrate_req=1 && mvn -q verify
 * -pl agent,demo-app,integration-tests -Dtest=ReusePortMigrationMeasurement -Dsurefire.failIfNoSpecifiedTests=false'}
 * ({@code -Dhotbind.measure.rotations} varies the count; default 650, what RebindIT does per JDK and mode).
 */
class ReusePortMigrationMeasurement {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void resetsWhenListenersOfOnePortAreReplaced() throws Exception {
        int rotations = Integer.getInteger("hotbind.measure.rotations", 650);
        ServerSocket current = listen(0);
        int port = current.getLocalPort();
        serve(current);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong served = new AtomicLong();
        AtomicLong reset = new AtomicLong();
        AtomicLong other = new AtomicLong();
        Thread[] clients = new Thread[2];
        for (int i = 0; i < clients.length; i++) {
            clients[i] = new Thread(() -> {
                while (!stop.get()) {
                    try (Socket s = new Socket()) {
                        s.connect(new InetSocketAddress(LOOPBACK, port), 5000);
                        s.setSoTimeout(5000);
                        (s.getInputStream().read() == '!' ? served : other).incrementAndGet();
                    } catch (SocketException e) {
                        (String.valueOf(e.getMessage()).contains("reset") ? reset : other).incrementAndGet();
                    } catch (IOException e) {
                        other.incrementAndGet();
                    }
                }
            }, "churn-" + i);
            clients[i].start();
        }
        for (int i = 0; i < rotations; i++) {
            ServerSocket next = listen(port);
            serve(next);
            Thread.sleep(10);
            current.close();
            current = next;
        }
        stop.set(true);
        for (Thread client : clients) {
            client.join(10_000);
        }
        current.close();
        System.out.println("ReusePortMigrationMeasurement: " + rotations + " listener replacements on one port, "
                + "no agent, tcp_migrate_req=" + Migration.setting() + ": served " + served + ", reset " + reset
                + ", other " + other);
        assertTrue(served.get() > rotations, "the clients were served throughout: " + served);
        assertEquals(0, other.get(), "only resets are expected to fail");
    }

    private static ServerSocket listen(int port) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        socket.bind(new InetSocketAddress(LOOPBACK, port), 50);
        return socket;
    }

    private static void serve(ServerSocket socket) {
        Thread acceptor = new Thread(() -> {
            while (!socket.isClosed()) {
                try (Socket accepted = socket.accept()) {
                    accepted.getOutputStream().write('!');
                } catch (IOException closedOrClientGone) {
                    // the loop ends once the listener is closed
                }
            }
        }, "acceptor-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }
}
