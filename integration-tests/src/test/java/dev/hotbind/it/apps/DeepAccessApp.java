package dev.hotbind.it.apps;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.InputStreamReader;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;

/**
 * Application code that tries the deep reflection into socket internals hotbind itself uses. On
 * stdin: {@code bind} binds a ServerSocket (printing "bound port N"); {@code probe} tries
 * {@code setAccessible} on {@code sun.nio.ch.ServerSocketChannelImpl.fdVal} and
 * {@code java.io.FileDescriptor.fd} and prints "probe NAME: refused|ALLOWED" for each.
 */
public final class DeepAccessApp {
    private DeepAccessApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("deep-access ready");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        ServerSocket kept = null;
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("bind")) {
                kept = new ServerSocket();
                kept.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                ServerSocket server = kept;
                Thread acceptor = new Thread(() -> {
                    while (true) {
                        try {
                            server.accept().close();
                        } catch (java.io.IOException e) {
                            System.out.println("ACCEPT-FAILURE " + e);
                        }
                    }
                }, "deep-access-acceptor");
                acceptor.setDaemon(true);
                acceptor.start();
                System.out.println("bound port " + kept.getLocalPort());
            } else if (line.equals("probe")) {
                probe("sun.nio.ch.ServerSocketChannelImpl.fdVal",
                        Class.forName("sun.nio.ch.ServerSocketChannelImpl").getDeclaredField("fdVal"));
                probe("java.io.FileDescriptor.fd", FileDescriptor.class.getDeclaredField("fd"));
            }
        }
    }

    private static void probe(String name, Field field) {
        String outcome;
        try {
            field.setAccessible(true);
            outcome = "ALLOWED";
        } catch (RuntimeException e) {
            outcome = "refused " + e.getClass().getSimpleName();
        }
        System.out.println("probe " + name + ": " + outcome);
    }
}
