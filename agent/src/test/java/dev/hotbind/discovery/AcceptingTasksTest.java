package dev.hotbind.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AcceptingTasksTest {
    private static final int[] X86_64 = {43, 288};

    @Test
    void aBlockedAcceptNamesItsDescriptor() {
        assertEquals(5, AcceptingTasks.acceptedOn("288 0x5 0x7f5d5cf70980 0x7f5d5cf70974 0x80000 0x0 0x7f5d5dd4 0x7ffd 0x7f", X86_64));
        assertEquals(12, AcceptingTasks.acceptedOn("43 0xc 0x0 0x0 0x0 0x0 0x0 0x7ffd 0x7f", X86_64));
    }

    @Test
    void anythingElseIsNoAccept() {
        assertEquals(-1, AcceptingTasks.acceptedOn("0 0x5 0x55db2cc1cdc0 0x2000 0x1000 0x0 0x0 0x7ffd 0x7f", X86_64));
        assertEquals(-1, AcceptingTasks.acceptedOn("running", X86_64));
        assertEquals(-1, AcceptingTasks.acceptedOn("-1 0x7ffd 0x7f", X86_64));
    }

    @Test
    void threadNamesAreCutAsTheKernelKeepsThem() {
        assertEquals("socket-acceptor", AcceptingTasks.comm("socket-acceptor"));
        assertEquals("http-nio-127.0.", AcceptingTasks.comm("http-nio-127.0.0.1-auto-1-Acceptor"));
    }
}
