package dev.hotbind.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AgentOptionsTest {
    @Test
    void defaultsWhenNothingIsGiven() {
        assertEquals(256, AgentOptions.parse(null).history());
        assertEquals(256, AgentOptions.parse("").history());
    }

    @Test
    void readsKnownOptions() {
        assertEquals(10, AgentOptions.parse("history=10").history());
    }

    @Test
    void namesTheUnknownOptionAndWhatIsAccepted() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("nosuch=1"));
        assertTrue(e.getMessage().contains("unknown option 'nosuch'"), e.getMessage());
        assertTrue(e.getMessage().contains("history="), e.getMessage());
    }

    @Test
    void namesTheBadValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("history=-3"));
        assertTrue(e.getMessage().contains("'-3'") && e.getMessage().contains("'history'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("history"));
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("history=1,history=2"));
    }
}
