package dev.hotbind.demo;

/** One listening socket of the demo, of one style. */
interface DemoListener {
    /** The name printed as "<style> port <n>" and used in thread names. */
    String style();

    int port();

    /** Closes the listener on purpose; its accept loop sees the close and ends. */
    void stop();
}
