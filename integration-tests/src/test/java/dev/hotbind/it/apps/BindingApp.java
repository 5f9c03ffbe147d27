package dev.hotbind.it.apps;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * Binds on command, as a server starting up would: the line {@code bind socket|channel <port>} binds a
 * loopback ServerSocket or ServerSocketChannel to that port on the main thread, then prints
 * {@code <kind> bound port <port> after <ms> ms} and answers every connection with one byte ('!') on a
 * thread of its own; when the bind throws, it prints {@code BIND-FAILURE <kind> <exception>} and each
 * frame of the exception as {@code BIND-FRAME <frame>}. Both JDK classes are loaded before the ready
 * line {@code binding-app ready}, so an attach finds them loaded and retransforms them.
 */
public final class BindingApp {
    public static final String READY = "binding-app ready";
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private BindingApp() {
    }

    public static void main(String[] args) throws Exception {
        new ServerSocket().close();
        ServerSocketChannel.open().close();
        System.out.println(READY);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] words = line.split(" ");
            if (words.length == 3 && words[0].equals("bind")) {
                bind(words[1], Integer.parseInt(words[2]));
            }
        }
    }

    private static void bind(String kind, int port) {
        InetSocketAddress address = new InetSocketAddress(LOOPBACK, port);
        long begun = System.nanoTime();
        try {
            if (kind.equals("socket")) {
                ServerSocket server = new ServerSocket();
                server.bind(address);
                serve(kind, () -> {
                    try (Socket s = server.accept()) {
                        s.getOutputStream().write('!');
                    }
                });
            } else {
                ServerSocketChannel server = ServerSocketChannel.open();
                server.bind(address);
                serve(kind, () -> {
                    try (SocketChannel s = server.accept()) {
                        s.write(ByteBuffer.wrap(new byte[] {'!'}));
                    }
                });
            }
            System.out.println(kind + " bound port " + port + " after " + (System.nanoTime() - begun) / 1_000_000
                    + " ms");
        } catch (IOException | RuntimeException e) {
            System.out.println("BIND-FAILURE " + kind + " " + e);
            for (StackTraceElement frame : e.getStackTrace()) {
                System.out.println("BIND-FRAME " + frame);
            }
        }
    }

    private interface Answer {
        void once() throws IOException;
    }

    private static void serve(String kind, Answer answer) {
        Thread t = new Thread(() -> {
            try {
                while (true) {
                    answer.once();
                }
            } catch (IOException e) {
                System.out.println("ACCEPT-FAILURE " + kind + ": " + e);
            }
        }, kind + "-acceptor");
        t.setDaemon(true);
        t.start();
    }
}
