package dev.hotbind.rebind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class AddressParserTest {
    private static final InetAddress CURRENT = InetAddress.getLoopbackAddress();

    @Test
    void acceptsEveryDocumentedForm() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080),
                AddressParser.parse("127.0.0.1:8080", CURRENT));
        assertEquals(new InetSocketAddress(CURRENT, 9090), AddressParser.parse(":9090", CURRENT));
        assertEquals(new InetSocketAddress(CURRENT, 9091), AddressParser.parse(" 9091 ", CURRENT));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 7070), AddressParser.parse("[::1]:7070", CURRENT));
        assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 1), AddressParser.parse("0.0.0.0:1", CURRENT));
    }

    @Test
    void refusesMalformedInputNamingTheProblem() {
        assertMessage("no address given", null);
        assertMessage("no address given", "  ");
        assertMessage("is not an address", "host:");
        assertMessage("is not an address", "127.0.0.1:http");
        assertMessage("is not an address", "[::1]7070");
        assertMessage("is not an address", "-5");
        assertMessage("out of range", ":65536");
        assertMessage("out of range", "0");
        assertMessage("needs brackets", "::1:8080");
        assertMessage("only IPv6 addresses go in brackets", "[127.0.0.1]:80");
        assertMessage("unknown host", "no-such-host.invalid:8080");
    }

    private static void assertMessage(String expected, String input) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressParser.parse(input, CURRENT));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
