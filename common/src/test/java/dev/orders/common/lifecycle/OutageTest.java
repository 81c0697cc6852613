package dev.orders.common.lifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutageTest {

    /** A clock that moves only when told to. */
    private static final class FakeClock extends Clock {
        private Instant now = Instant.parse("2026-11-26T12:00:00Z");

        void advance(Duration duration) {
            now = now.plus(duration);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void theBackoffDoublesFromOneSecondUpToThirtySeconds() {
        List<Long> seconds = new ArrayList<>();
        for (int attempt = 1; attempt <= 8; attempt++) {
            seconds.add(RestartBackoff.DEFAULT.before(attempt).toSeconds());
        }
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), seconds);
        assertEquals(Duration.ofSeconds(30), RestartBackoff.DEFAULT.before(1_000));
    }

    @Test
    void failuresWithoutProgressAreOneOutageThatGivesUpAtTheLimit() {
        FakeClock clock = new FakeClock();
        Outage outage = new Outage(Duration.ofMinutes(2), RestartBackoff.DEFAULT, clock);
        List<Outage.Decision> decisions = new ArrayList<>();
        Outage.Decision decision = outage.onFailure(true);
        while (decision instanceof Outage.Retry retry) {
            decisions.add(retry);
            // Each restart fails 5 s after the wait: the start-up check timing out, say.
            clock.advance(retry.delay().plusSeconds(5));
            decision = outage.onFailure(false);
        }
        decisions.add(decision);
        assertEquals(List.of(
                new Outage.Retry(Duration.ofSeconds(1), 1, Duration.ZERO),
                new Outage.Retry(Duration.ofSeconds(2), 2, Duration.ofSeconds(6)),
                new Outage.Retry(Duration.ofSeconds(4), 3, Duration.ofSeconds(13)),
                new Outage.Retry(Duration.ofSeconds(8), 4, Duration.ofSeconds(22)),
                new Outage.Retry(Duration.ofSeconds(16), 5, Duration.ofSeconds(35)),
                new Outage.Retry(Duration.ofSeconds(30), 6, Duration.ofSeconds(56)),
                // the last wait ends at the limit, not after it
                new Outage.Retry(Duration.ofSeconds(29), 7, Duration.ofSeconds(91)),
                new Outage.GiveUp(Duration.ofSeconds(125), 7)), decisions);
    }

    @Test
    void aRestartThatCompletedATriggerEndsTheOutage() {
        FakeClock clock = new FakeClock();
        Outage outage = new Outage(Duration.ofMinutes(1), RestartBackoff.DEFAULT, clock);
        assertEquals(new Outage.Retry(Duration.ofSeconds(1), 1, Duration.ZERO), outage.onFailure(true));
        clock.advance(Duration.ofSeconds(10));
        assertEquals(new Outage.Retry(Duration.ofSeconds(2), 2, Duration.ofSeconds(10)), outage.onFailure(false));
        clock.advance(Duration.ofMinutes(5));
        // Batches ran between these failures: a new outage, from a wait of 1 s again.
        assertEquals(new Outage.Retry(Duration.ofSeconds(1), 1, Duration.ZERO), outage.onFailure(true));
        clock.advance(Duration.ofSeconds(60));
        assertEquals(new Outage.GiveUp(Duration.ofSeconds(60), 1), outage.onFailure(false));
    }
}
