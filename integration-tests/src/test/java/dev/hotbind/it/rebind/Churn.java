package dev.hotbind.it.rebind;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client that opens new connections to one port back to back, each answered with one byte by the
 * application, until stopped (or for at most two minutes), counting how each one ended.
 */
final class Churn implements AutoCloseable {
    private static final long MAX_MILLIS = 120_000;

    final AtomicLong served = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong reset = new AtomicLong();
    /** Connected, then no answer within the read timeout: accepted by no one, yet not reset. */
    final AtomicLong stalled = new AtomicLong();
    final AtomicLong other = new AtomicLong();
    private volatile String lastOther = "";
    private volatile boolean stopped;
    private final int port;
    private final Thread thread;

    Churn(int port) {
        this.port = port;
        this.thread = new Thread(this::run, "it-churn-" + port);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        while (!stopped && System.currentTimeMillis() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                s.setSoTimeout(10_000);
                int b = s.getInputStream().read();
                if (b == '!') {
                    served.incrementAndGet();
                } else {
                    // closed by the kernel without the application ever seeing it
                    reset.incrementAndGet();
                }
            } catch (ConnectException e) {
                refused.incrementAndGet();
            } catch (SocketException e) {
                if (String.valueOf(e.getMessage()).contains("reset")) {
                    reset.incrementAndGet();
                } else {
                    failedOtherwise(e);
                }
            } catch (java.net.SocketTimeoutException e) {
                stalled.incrementAndGet();
            } catch (IOException e) {
                failedOtherwise(e);
            }
        }
    }

    private void failedOtherwise(IOException e) {
        other.incrementAndGet();
        lastOther = e.toString();
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.join(30_000);
    }

    @Override
    public String toString() {
        return "served " + served + ", refused " + refused + ", reset " + reset + ", stalled " + stalled
                + ", other " + other
                + (other.get() > 0 ? " (last: " + lastOther + ")" : "");
    }
}
