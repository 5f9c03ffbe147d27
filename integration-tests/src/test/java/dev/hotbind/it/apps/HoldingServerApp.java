package dev.hotbind.it.apps;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One blocking ServerSocket on loopback per name in the arguments ("holding" without any), each
 * with an accept loop on thread "<name>-acceptor" that keeps every connection open until the client
 * closes it and says on stdout when the loop ends ("<name> accept loop ended: ...").
 */
public final class HoldingServerApp {
    public static final String READY = "holding-server ready";

    private static final List<Socket> HELD = new CopyOnWriteArrayList<>();

    private HoldingServerApp() {
    }

    public static void main(String[] args) throws Exception {
        for (String name : args.length == 0 ? new String[] {"holding"} : args) {
            ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        HELD.add(server.accept());
                    }
                } catch (IOException e) {
                    System.out.println(name + " accept loop ended: " + e);
                }
            }, name + "-acceptor");
            acceptor.start();
            System.out.println(name + " port " + server.getLocalPort());
        }
        System.out.println(READY);
        Thread.currentThread().join();
    }
}
