package dev.orders.common.lifecycle;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Kafka failures one after the other, with no completed trigger in between, are one outage: it began at the
 * first of them, each failure waits longer before the next restart, and past {@code maxOutage} the app gives up.
 * A restart whose queries complete a trigger ends the outage.
 */
public final class Outage {
    private final Duration maxOutage;
    private final RestartBackoff backoff;
    private final Clock clock;
    private Instant began;
    private int restarts;

    public Outage(Duration maxOutage, RestartBackoff backoff, Clock clock) {
        this.maxOutage = maxOutage;
        this.backoff = backoff;
        this.clock = clock;
    }

    /** What to do about a retriable failure. */
    public sealed interface Decision {
    }

    /** Restart after {@code delay}: restart number {@code attempt} of an outage that has lasted {@code elapsed}. */
    public record Retry(Duration delay, int attempt, Duration elapsed) implements Decision {
    }

    /** Give up: the outage has lasted {@code elapsed}, {@code restarts} restarts did not end it. */
    public record GiveUp(Duration elapsed, int restarts) implements Decision {
    }

    /**
     * @param progressSinceRestart whether the queries that failed completed a trigger after they were
     *     (re)started: then Kafka answered in between, and this failure begins a new outage
     */
    public Decision onFailure(boolean progressSinceRestart) {
        Instant now = clock.instant();
        if (began == null || progressSinceRestart) {
            began = now;
            restarts = 0;
        }
        Duration elapsed = Duration.between(began, now);
        Duration left = maxOutage.minus(elapsed);
        if (left.isNegative() || left.isZero()) {
            return new GiveUp(elapsed, restarts);
        }
        restarts++;
        Duration delay = backoff.before(restarts);
        // The last restart comes at the limit, not after it.
        return new Retry(delay.compareTo(left) < 0 ? delay : left, restarts, elapsed);
    }
}
