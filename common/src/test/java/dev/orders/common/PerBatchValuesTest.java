package dev.orders.common;

import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class PerBatchValuesTest {

    @Test
    void aBatchIdIsTheSameNumberAndTheSameGeneratedCodeWhateverItsValue() {
        Row row = LocalSpark.session().range(1).select(PerBatchValues.longValue(41).as("batch_id")).first();
        assertEquals(41L, row.getLong(0));
        assertEquals(DataTypes.LongType, LocalSpark.session().range(1)
                .select(PerBatchValues.longValue(41)).schema().fields()[0].dataType());

        assertEquals(generatedCode(PerBatchValues.longValue(1)), generatedCode(PerBatchValues.longValue(2)));
        // What it avoids: a plain literal is written into the code, new code for every batch.
        assertNotEquals(generatedCode(lit(1L)), generatedCode(lit(2L)));
    }

    @Test
    void aTimeIsTheSameTimestampAndTheSameGeneratedCodeWhateverItsValue() {
        Instant time = Instant.parse("2026-11-27T12:00:00.123456Z");
        Timestamp value = LocalSpark.session().range(1).select(PerBatchValues.timestamp(time)).first().getTimestamp(0);
        assertEquals(time, value.toInstant());

        assertEquals(generatedCode(unix_micros(PerBatchValues.timestamp(time))),
                generatedCode(unix_micros(PerBatchValues.timestamp(time.plusSeconds(1)))));
    }

    /** The Java code Spark generates for a batch query that computes this column on every row. */
    private static String generatedCode(Column value) {
        Dataset<Row> rows = LocalSpark.session().range(10).select(col("id").plus(value).as("x"));
        String plansAndCode = org.apache.spark.sql.execution.debug.package$.MODULE$.codegenString(
                rows.queryExecution().executedPlan());
        return plansAndCode.substring(plansAndCode.indexOf("Generated code:")); // the plan names the value
    }
}
