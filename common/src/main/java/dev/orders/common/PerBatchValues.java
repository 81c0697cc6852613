package dev.orders.common;

import static org.apache.spark.sql.functions.*;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Values that change from one micro-batch to the next (the batch id, the batch's clock), given to Spark in
 * a way that keeps its generated code the same from batch to batch.
 *
 * <p>Spark writes a long or timestamp literal into the Java code it generates and compiles: with the batch
 * id or {@code current_timestamp()} in an expression, every batch got new code, compiled again (2-3
 * compiles per consumer batch, up to a second each on a busy machine) and run cold by the JIT. A text
 * literal is passed to the code as an object instead, so these values travel as text and a function Spark
 * cannot fold turns them back into numbers.
 */
public final class PerBatchValues {
    private static final UserDefinedFunction PARSE_LONG =
            udf((UDF1<String, Long>) Long::valueOf, DataTypes.LongType);

    /** {@code lit(value)}, for a value that changes every batch. */
    public static Column longValue(long value) {
        return PARSE_LONG.apply(lit(Long.toString(value)));
    }

    /** {@code lit(value)} as a timestamp, for a time that changes every batch (such as its {@link BatchClock}). */
    public static Column timestamp(Instant value) {
        return timestamp_micros(longValue(ChronoUnit.MICROS.between(Instant.EPOCH, value)));
    }

    private PerBatchValues() {
    }
}
