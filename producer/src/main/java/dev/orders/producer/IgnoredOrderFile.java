package dev.orders.producer;

import java.time.Instant;

/**
 * An order file in the orders folder that the file source will not read, why, and what to do about it.
 *
 * @param path the file, as Hadoop names it ({@code file:/landing/orders/order_7.csv})
 * @param message one line for a person: what is ignored, why, and how to have it read
 */
public record IgnoredOrderFile(String path, Instant modified, Reason reason, String message) {
    public enum Reason {
        /** Modified more than --max-file-age before the newest file processed. */
        TOO_OLD,
        /** A file of that name was processed already; the file source reads a name once. */
        NAME_ALREADY_PROCESSED
    }
}
