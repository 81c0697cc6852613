package dev.orders.common.lifecycle;

import java.time.Duration;

/** How long to wait before each restart of an outage: 1 s, then twice as long each time, at most 30 s. */
public record RestartBackoff(Duration first, Duration max) {
    public static final RestartBackoff DEFAULT = new RestartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

    /** The wait before restart number {@code attempt} (1 for the first restart of an outage). */
    public Duration before(int attempt) {
        Duration delay = first;
        for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) < 0 ? delay : max;
    }
}
