package dev.orders.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EventTimesTest {

    @ParameterizedTest(name = "{0} in {1} is {2}")
    @CsvSource(delimiter = '|', value = {
        "2024-05-01 08:00:04|UTC|2024-05-01T08:00:04Z",
        "2024-05-01 08:00:04|Europe/Paris|2024-05-01T06:00:04Z",
        "2024-05-01T08:00:04|UTC|2024-05-01T08:00:04Z",
        "2024-05-01T08:00:04.000Z|Europe/Paris|2024-05-01T08:00:04Z",
        "2024-05-01T12:00:00.000+02:00|UTC|2024-05-01T10:00:00Z",
        "2024-05-01 12:00:00-05:00|UTC|2024-05-01T17:00:00Z",
        "2024-02-29 23:59:59.123456|UTC|2024-02-29T23:59:59.123456Z",
        "2024-02-29 23:59:59.123456789|UTC|2024-02-29T23:59:59.123456Z",
        "0001-01-01 00:00:00|UTC|0001-01-01T00:00:00Z",
        "9999-12-31 23:59:59|UTC|9999-12-31T23:59:59Z",
    })
    void readsTheDocumentedFormsToTheMicrosecond(String text, String zone, String expected) {
        assertEquals(micros(Instant.parse(expected)), EventTimes.toEpochMicros(text, zone));
    }

    @ParameterizedTest(name = "''{0}'' is not an order date")
    @ValueSource(strings = {
        "20244-05-01 08:00:04", "+20244-05-01T08:00:04.000Z", "2024", "2024-05-01", "2024-05-01 08:00",
        "2024-02-30 08:00:00", "2023-02-29 08:00:00", "2024-13-01 08:00:00", "2024-04-31 08:00:00",
        "2024-05-01 24:00:00", "2024-05-01 23:60:00", "2024-05-01 23:59:60", "0000-01-01 00:00:00",
        "24-05-01 08:00:04", "2024-5-1 8:00:04", " 2024-05-01 08:00:04", "2024-05-01 08:00:04 ",
        "2024-05-01 08:00:04.", "2024-05-01 08:00:04.1234567890", "2024-05-01T08:00:04+2", "2024-05-01T08:00:04+25:00",
        "2024-05-01T08:00:04 UTC", "yesterday noon", "", "２０２４-05-01 08:00:04"})
    void rejectsAnythingElse(String text) {
        assertNull(EventTimes.toEpochMicros(text, "UTC"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2024-05-01 08:00:04", "2024-05-01T08:00:04.000"})
    void withoutAZoneToFallBackOnADateTimeMustCarryItsOwn(String text) {
        assertNull(EventTimes.toEpochMicros(text, null));
        assertEquals(micros(Instant.parse("2024-05-01T08:00:04Z")), EventTimes.toEpochMicros(text + "Z", null));
    }

    @org.junit.jupiter.api.Test
    void nullIsNotADate() {
        assertNull(EventTimes.toEpochMicros(null, "UTC"));
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
    }
}
