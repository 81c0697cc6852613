package dev.orders.common;

import java.util.Map;

/**
 * How order_details values are written and read. Timestamps carry their zone (ISO-8601, e.g.
 * {@code 2024-05-01T10:15:00.000Z}), so a message means the same instant whatever the reader's zone.
 */
public final class JsonFormat {
    public static final String TIMESTAMP_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    public static final Map<String, String> OPTIONS = Map.of("timestampFormat", TIMESTAMP_PATTERN);

    private JsonFormat() {
    }
}
