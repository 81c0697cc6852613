package dev.orders.common.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {

    @Test
    void readsTheUsualSpellingsAndWritesSparksOwn() {
        assertEquals("10 seconds", Durations.normalize("--x", "10 seconds"));
        assertEquals("1 seconds", Durations.normalize("--x", "1 second"));
        assertEquals("500 milliseconds", Durations.normalize("--x", "500ms"));
        assertEquals("10 minutes", Durations.normalize("--x", " 10 MIN "));
        assertEquals("2 hours", Durations.normalize("--x", "2h"));
    }

    @Test
    void convertsToJavaDurations() {
        assertEquals(Duration.ofMinutes(10), Durations.toDuration("10 minutes"));
        assertEquals(Duration.ofMillis(500), Durations.toDuration("500 milliseconds"));
    }

    @Test
    void describesDurationsAsAPersonSaysThem() {
        assertEquals("1 day", Durations.describe(Duration.ofDays(1)));
        assertEquals("36 hours", Durations.describe(Duration.ofHours(36)));
        assertEquals("90 seconds", Durations.describe(Duration.ofSeconds(90)));
        assertEquals("1500 milliseconds", Durations.describe(Duration.ofMillis(1500)));
        assertEquals("0 milliseconds", Durations.describe(Duration.ZERO));
    }

    @Test
    void rejectsWhatIsNotADuration() {
        for (String bad : new String[] {"", "10", "ten seconds", "10 fortnights", "-1 s", "1.5 s"}) {
            assertThrows(UsageException.class, () -> Durations.normalize("--x", bad), bad);
        }
    }
}
