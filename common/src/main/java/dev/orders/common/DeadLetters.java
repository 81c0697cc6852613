package dev.orders.common;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;

import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Dead-letter records: one JSON message per rejected input, with {@code stage, reason, error, raw,
 * source, batch_id, rejected_at}. The input keeps {@code raw} exactly as it arrived, so a record can be
 * fixed and replayed.
 */
public final class DeadLetters {

    /** The stage that rejected a record. */
    public enum Stage {
        PRODUCER, CONSUMER;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * The dead-letter JSON of a rejected row (one with the rejection, raw and source columns).
     *
     * @param batchClock the {@link BatchClock} of the batch that rejects it ({@code rejected_at})
     */
    public static Column value(Stage stage, long batchId, Instant batchClock) {
        Column record = struct(
                lit(stage.code()).as("stage"),
                col(REJECTION_REASON).as("reason"),
                col(REJECTION_ERROR).as("error"),
                col(RAW).as("raw"),
                col(SOURCE).as("source"),
                PerBatchValues.longValue(batchId).as("batch_id"),
                PerBatchValues.timestamp(batchClock).as("rejected_at"));
        return to_json(record, JsonFormat.OPTIONS);
    }

    /** The Kafka key of a dead letter: where the rejected input came from. */
    public static Column key() {
        return col(SOURCE);
    }

    /** Rejected rows as Kafka records ({@code key}, {@code value}). */
    public static Dataset<Row> toKafkaRecords(Dataset<Row> rejected, Stage stage, long batchId, Instant batchClock) {
        return rejected.select(key().as("key"), value(stage, batchId, batchClock).as("value"));
    }

    private DeadLetters() {
    }
}
