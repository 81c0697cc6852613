package dev.orders.common;

import static org.apache.spark.sql.functions.current_timestamp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchClockTest {
    private final SparkSession spark = LocalSpark.session();

    @Test
    void aBatchRunAgainReadsTheTimeSparkLoggedWhenItPlannedIt(@TempDir Path root) throws Exception {
        Path input = Files.createDirectories(root.resolve("in"));
        Files.writeString(input.resolve("lines.txt"), "a\nb\n");
        String checkpoint = root.resolve("checkpoint").toString();
        List<Instant> clocks = new ArrayList<>();
        List<Instant> currentTimestamps = new ArrayList<>();

        runOnce(input, checkpoint, clocks, currentTimestamps);
        // As after a crash between the batch's write and its commit: the next start runs batch 0 again.
        Files.delete(Path.of(checkpoint, "commits", "0"));
        runOnce(input, checkpoint, clocks, currentTimestamps);

        Instant logged = Instant.ofEpochMilli(new ObjectMapper().readTree(
                Files.readAllLines(Path.of(checkpoint, "offsets", "0")).get(1)).get("batchTimestampMs").asLong());
        assertEquals(List.of(logged, logged), clocks);
        // Why the class exists: current_timestamp() in foreachBatch is the time each run planned its query.
        assertNotEquals(currentTimestamps.get(0), currentTimestamps.get(1));
    }

    @Test
    void aBatchTheOffsetLogDoesNotHoldIsAnError(@TempDir Path root) {
        BatchClock clock = new BatchClock(spark, root.resolve("checkpoint").toString());
        assertFalse(Files.exists(root.resolve("checkpoint")), "the query makes its checkpoint, not the clock");

        IllegalStateException error = assertThrows(IllegalStateException.class, () -> clock.of(3));
        assertEquals("the offset log " + root.resolve("checkpoint/offsets") + " has no batch 3", error.getMessage());
    }

    private void runOnce(Path input, String checkpoint, List<Instant> clocks, List<Instant> currentTimestamps)
            throws Exception {
        BatchClock clock = new BatchClock(spark, checkpoint);
        spark.readStream().text(input.toString())
                .writeStream()
                .option("checkpointLocation", checkpoint)
                .trigger(Trigger.AvailableNow())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (lines, batchId) -> {
                    clocks.add(clock.of(batchId));
                    currentTimestamps.add(lines.select(current_timestamp()).first().getTimestamp(0).toInstant());
                })
                .start()
                .awaitTermination();
    }
}
