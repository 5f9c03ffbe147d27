package dev.hotbind.jdk;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.SocketImpl;
import org.junit.jupiter.api.Test;

/** Objects whose descriptor hotbind cannot swap are refused with a reason, before anything is touched. */
class JdkListenerRefusalTest {

    @Test
    void aCustomSocketImplIsRefusedWithAReason() throws Exception {
        try (ServerSocket custom = new CustomServerSocket()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> JdkListener.of(custom));
            assertTrue(e.getMessage().contains("custom SocketImpl (" + NoSocketImpl.class.getName() + ")"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("auditing keeps working"), e.getMessage());
        }
    }

    @Test
    void somethingElseIsRefusedWithAReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JdkListener.of("a string"));
        assertTrue(e.getMessage().contains("cannot swap a java.lang.String"), e.getMessage());
    }

    /** What an application with its own SocketImplFactory has. */
    private static final class CustomServerSocket extends ServerSocket {
        CustomServerSocket() throws java.io.IOException {
            super(new NoSocketImpl());
        }
    }

    private static final class NoSocketImpl extends SocketImpl {
        @Override
        protected void create(boolean stream) {
        }

        @Override
        protected void connect(String host, int port) {
        }

        @Override
        protected void connect(InetAddress address, int port) {
        }

        @Override
        protected void connect(SocketAddress address, int timeout) {
        }

        @Override
        protected void bind(InetAddress host, int port) {
        }

        @Override
        protected void listen(int backlog) {
        }

        @Override
        protected void accept(SocketImpl s) {
        }

        @Override
        protected InputStream getInputStream() {
            return InputStream.nullInputStream();
        }

        @Override
        protected OutputStream getOutputStream() {
            return OutputStream.nullOutputStream();
        }

        @Override
        protected int available() {
            return 0;
        }

        @Override
        protected void close() {
        }

        @Override
        protected void sendUrgentData(int data) {
        }

        @Override
        public void setOption(int optID, Object value) {
        }

        @Override
        public Object getOption(int optID) {
            return null;
        }
    }
}
