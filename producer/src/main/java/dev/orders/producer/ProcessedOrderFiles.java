package dev.orders.producer;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.FileStreamSource.FileEntry;
import org.apache.spark.sql.execution.streaming.FileStreamSourceLog;
import scala.Option;
import scala.Tuple2;

/**
 * The order files the file source has taken into a batch, as its own log in the checkpoint
 * ({@code sources/0}) records them: each file's path, its modification time when listed, and the batch.
 * Read incrementally: each {@link #refresh()} reads only the batches logged since the one before.
 */
final class ProcessedOrderFiles {
    /** A file as the source took it. */
    record Taken(long modificationTime, long batchId) {
    }

    private final SparkSession spark;
    private final Path sourceLog;
    private final Map<String, Taken> byPath = new HashMap<>();
    private FileStreamSourceLog log;
    private long lastBatchRead = -1;
    private long newestModificationTime = Long.MIN_VALUE;

    ProcessedOrderFiles(SparkSession spark, String checkpointDir) {
        this.spark = spark;
        this.sourceLog = new Path(new Path(checkpointDir, "sources"), "0");
    }

    /** Reads what the file source logged since the last call. */
    void refresh() throws IOException {
        if (log == null) {
            // Spark's log creates its folder when missing: wait for the query to create it.
            if (!sourceLog.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(sourceLog)) {
                return;
            }
            log = new FileStreamSourceLog(FileStreamSourceLog.VERSION(), spark, sourceLog.toString());
        }
        Option<Object> latest = log.getLatestBatchId();
        if (latest.isEmpty() || (Long) latest.get() <= lastBatchRead) {
            return;
        }
        long latestBatch = (Long) latest.get();
        for (Tuple2<Object, FileEntry[]> batch : log.get(Option.apply(lastBatchRead + 1), Option.apply(latestBatch))) {
            for (FileEntry entry : batch._2()) {
                byPath.merge(entry.path(), new Taken(entry.timestamp(), entry.batchId()),
                        (before, now) -> now.batchId() >= before.batchId() ? now : before);
                newestModificationTime = Math.max(newestModificationTime, entry.timestamp());
            }
        }
        lastBatchRead = latestBatch;
    }

    /** The last time the source took a file of this path ({@code Path.toUri().toString()}). */
    Optional<Taken> taken(String path) {
        return Optional.ofNullable(byPath.get(path));
    }

    /** The modification time of the newest file taken: what the source measures a file's age from. */
    OptionalLong newestModificationTime() {
        return byPath.isEmpty() ? OptionalLong.empty() : OptionalLong.of(newestModificationTime);
    }
}
