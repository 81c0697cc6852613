package dev.orders.consumer;

import static dev.orders.common.Columns.ORDER_DATE;

import dev.orders.common.Schemas;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Exactly-once from an at-least-once topic: each order line is kept once. */
public final class OrderDeduplication {

    /**
     * Drops every repeat of an order line (same order_id, order_line_id, order_date) that arrives within
     * the watermark delay of the latest order_date seen.
     *
     * <p>The producer writes at least once: a re-run batch, a re-sent file or a replayed topic repeats
     * lines. The watermark is what lets Spark forget a line: it keeps each key in state only until
     * order_date falls {@code watermarkDelay} behind the newest order_date, so state stays bounded. A line
     * older than that is late: it is dropped and counted, not published a second time.
     */
    public static Dataset<Row> dropDuplicates(Dataset<Row> orders, String watermarkDelay) {
        String[] key = Schemas.ORDER_LINE_KEY.toArray(String[]::new);
        return orders
                .withWatermark(ORDER_DATE, watermarkDelay)
                .dropDuplicatesWithinWatermark(key);
    }

    private OrderDeduplication() {
    }
}
