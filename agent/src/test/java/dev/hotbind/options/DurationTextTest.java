package dev.hotbind.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationTextTest {
    @Test
    void parsesMillisSecondsAndMinutes() {
        assertEquals(Duration.ofMillis(500), DurationText.parse("500ms"));
        assertEquals(Duration.ofSeconds(30), DurationText.parse("30s"));
        assertEquals(Duration.ofMinutes(2), DurationText.parse("2m"));
    }

    @Test
    void formatsTheShortestExactForm() {
        assertEquals("2m", DurationText.format(Duration.ofMinutes(2)));
        assertEquals("90s", DurationText.format(Duration.ofSeconds(90)));
        assertEquals("1500ms", DurationText.format(Duration.ofMillis(1500)));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        for (String bad : new String[] {"", "5", "-1s", "1h", "1.5s", "s"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DurationText.parse(bad));
            assertTrue(e.getMessage().contains("500ms, 30s, 2m"), e.getMessage());
        }
    }

    @Test
    void auditOptionsHaveDefaultsAndNameTheOptionWhenBad() {
        AgentOptions defaults = AgentOptions.defaults();
        assertEquals(Duration.ofSeconds(5), defaults.auditInterval());
        assertTrue(defaults.toString().contains("auditInterval=5s"), defaults.toString());
        assertEquals(Duration.ofMillis(200), AgentOptions.parse("auditInterval=200ms").auditInterval());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AgentOptions.parse("closeWaitThreshold=10"));
        assertTrue(e.getMessage().contains("closeWaitThreshold"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AgentOptions.parse("auditInterval=50ms"));
    }
}
