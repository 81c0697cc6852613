package dev.orders.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
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

    /**
     * The fields are read from their places by hand: against java.time's own ISO parser, on shaped text
     * with random digits (most of them not a real date or time), both decide the same, to the microsecond.
     */
    @org.junit.jupiter.api.Test
    void decidesAsJavaTimesIsoParserDoes() {
        java.util.Random random = new java.util.Random(7);
        String[] offsets = {"", "Z", "+00:00", "-00:00", "+02:00", "-05:30", "+14:00", "-18:00", "+18:01", "+19:00",
            "-12:60", "+05:45"};
        int dates = 0;
        for (int i = 0; i < 200_000; i++) {
            String text = String.format("%04d-%02d-%02d%c%02d:%02d:%02d%s%s", 1 + random.nextInt(9999),
                    random.nextInt(14), random.nextInt(33), random.nextBoolean() ? 'T' : ' ', random.nextInt(26),
                    random.nextInt(62), random.nextInt(62),
                    random.nextInt(3) == 0 ? "" : "." + "123456789".substring(0, 1 + random.nextInt(9)),
                    offsets[random.nextInt(offsets.length)]);
            Long expected = isoParse(text, "Asia/Kolkata");
            assertEquals(expected, EventTimes.toEpochMicros(text, "Asia/Kolkata"), text);
            dates += expected == null ? 0 : 1;
        }
        assertTrue(dates > 10_000, dates + " real dates among the inputs");
    }

    /** What EventTimes did before it read the fields by hand. */
    private static Long isoParse(String text, String zone) {
        if (!text.matches("(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?")) {
            return null;
        }
        String iso = text.substring(0, 10) + 'T' + text.substring(11);
        try {
            Instant instant = iso.matches(".*(Z|[+-][0-9]{2}:[0-9]{2})$")
                    ? java.time.OffsetDateTime.parse(iso, java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant()
                    : java.time.LocalDateTime.parse(iso, java.time.format.DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                            .atZone(java.time.ZoneId.of(zone)).toInstant();
            return micros(instant);
        } catch (java.time.DateTimeException e) {
            return null;
        }
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L;
    }
}
