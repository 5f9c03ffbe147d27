package dev.hotbind.demo;

/**
 * One listening socket of the demo, of one style: the name printed as "<style> port <n>", its port,
 * and how to close it on purpose (its accept loop then sees the close and ends).
 */
record DemoListener(String style, int port, Runnable stopper) {
    void stop() {
        stopper.run();
    }
}
