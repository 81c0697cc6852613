package dev.orders.common;

import java.time.Instant;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.OffsetSeq;
import org.apache.spark.sql.execution.streaming.OffsetSeqLog;
import scala.Option;

/**
 * A micro-batch's clock as Spark recorded it in the query's offset log when it planned the batch. A batch
 * that runs again after a failure is the batch that was planned: it reads the same time, so it decides the
 * same way.
 *
 * <p>What a {@code foreachBatch} function needs instead of {@code current_timestamp()}: in the query the
 * function runs, that is the time the query is planned, later on every run of the batch (Spark puts the
 * logged time only into the streaming query's own plan).
 */
public final class BatchClock {
    private final SparkSession spark;
    private final String checkpointDir;
    private OffsetSeqLog offsets;

    /** @param checkpointDir the streaming query's checkpoint location, as the query was given it */
    public BatchClock(SparkSession spark, String checkpointDir) {
        this.spark = spark;
        this.checkpointDir = checkpointDir;
    }

    /** @throws IllegalStateException when the offset log holds no time for this batch */
    public Instant of(long batchId) {
        if (offsets == null) { // opened once the query has made its log: opening creates the folder
            offsets = new OffsetSeqLog(spark, new Path(checkpointDir, "offsets").toString());
        }
        Option<OffsetSeq> planned = offsets.get(batchId);
        if (planned.isEmpty() || planned.get().metadata().isEmpty()) {
            throw new IllegalStateException("the offset log " + offsets.metadataPath() + " has no batch " + batchId);
        }
        return Instant.ofEpochMilli(planned.get().metadata().get().batchTimestampMs());
    }
}
