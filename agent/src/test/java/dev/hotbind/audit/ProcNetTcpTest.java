package dev.hotbind.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcNetTcpTest {
    /** Captured from a Linux x86_64 host, trimmed: a LISTEN socket with a full queue, an ESTABLISHED one, a CLOSE_WAIT one. */
    private static final String TCP = ""
            + "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "   0: 0100007F:1F90 00000000:0000 0A 00000032:00000003 00:00000000 00000000     0        0 24712 1 000000002dabb912 100 0 0 10 0\n"
            + "   1: 0100007F:1F90 0100007F:D2C4 01 00000000:00000000 00:00000000 00000000     0        0 24800 1 0000000000000000 20 4 30 10 -1\n"
            + "   2: 0100007F:1F90 0100007F:D2C6 08 00000000:00000001 00:00000000 00000000  1000        0 24801 1 0000000000000000 20 4 30 10 -1\n";

    private static final String TCP6 = ""
            + "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
            + "   0: 0000000000000000FFFF00000100007F:8851 00000000000000000000000000000000:0000 0A 00000080:00000000 00:00000000 00000000  1000        0 31337 1 000000007ff9f139 100 0 0 10 0\n"
            + "   1: 00000000000000000000000001000000:9EA1 00000000000000000000000000000000:0000 0A 00000010:00000000 00:00000000 00000000  1000        0 31338 1 000000005a21801b 100 0 0 10 0\n"
            + "   2: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000080:00000000 00:00000000 00000000     0        0 1075 1 000000005a21801b 100 0 0 10 0\n"
            + "garbage line that is not a row\n";

    @Test
    void decodesListenQueueBacklogAndInodeAndSkipsEstablished() throws Exception {
        List<KernelSocket> rows = ProcNetTcp.parse(TCP);
        assertEquals(2, rows.size(), rows.toString());
        KernelSocket listen = rows.get(0);
        assertTrue(listen.listening());
        assertEquals(InetAddress.getByName("127.0.0.1"), listen.localAddress());
        assertEquals(8080, listen.localPort());
        assertEquals(3, listen.rxQueue(), "accept queue depth");
        assertEquals(50, listen.txQueue(), "backlog");
        assertEquals(24712, listen.inode());
        assertEquals("127.0.0.1:8080", listen.address());
        KernelSocket closeWait = rows.get(1);
        assertEquals("CLOSE_WAIT", closeWait.stateName());
        assertEquals(0xD2C6, closeWait.remotePort());
        assertEquals(24801, closeWait.inode());
    }

    @Test
    void mapsIpv4MappedIpv6ToIpv4AndReadsIpv6() throws Exception {
        List<KernelSocket> rows = ProcNetTcp.parse(TCP6);
        assertEquals(3, rows.size(), rows.toString());
        assertEquals("127.0.0.1:34897", rows.get(0).address());
        assertEquals(128, rows.get(0).txQueue());
        assertEquals(InetAddress.getByName("::1"), rows.get(1).localAddress());
        assertEquals("[0:0:0:0:0:0:0:1]:40609", rows.get(1).address());
        assertTrue(rows.get(2).localAddress().isAnyLocalAddress());
        assertEquals(22, rows.get(2).localPort());
    }

    @Test
    void emptyAndHeaderOnlyTextsGiveNoRows() {
        assertEquals(List.of(), ProcNetTcp.parse(""));
        assertEquals(List.of(), ProcNetTcp.parse(TCP.substring(0, TCP.indexOf('\n') + 1)));
    }

    @Test
    void socketLinkTargetsGiveTheirInode() {
        assertEquals(24712, FdInodes.socketInode("socket:[24712]"));
        assertEquals(-1, FdInodes.socketInode("pipe:[24712]"));
        assertEquals(-1, FdInodes.socketInode("/tmp/file"));
        assertEquals(-1, FdInodes.socketInode("socket:[x]"));
    }
}
