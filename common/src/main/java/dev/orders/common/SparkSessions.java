package dev.orders.common;

import dev.orders.common.options.CommonOptions;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session both apps run in. */
public final class SparkSessions {
    public static final int DEFAULT_SHUFFLE_PARTITIONS = 2;

    /**
     * For checkpoints on a local disk. Hadoop without its native library (the usual case on a laptop)
     * forks a process for a symlink check on every checkpoint file Spark renames into place through its
     * default FileContext-based writer, and a chmod for every file it creates, twice with the checksum
     * side files: about 30 processes per producer batch, more than half of a small batch's time. A rename
     * through the FileSystem API is atomic on a local disk, and a local disk needs no checksum side files.
     * Measured with 200 one-file producer batches: 6,024 processes before, 613 after.
     */
    public static final Map<String, String> LOCAL_DISK = Map.of(
            "spark.sql.streaming.checkpointFileManagerClass",
            "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager",
            "spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem");

    public static SparkSession start(String appName, CommonOptions options) {
        SparkConf submitted = new SparkConf(); // what spark-submit --conf and --master set
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (!submitted.contains("spark.master")) {
            builder.master("local[*]");
        }
        // Explicit, so that an order date without a zone means the same instant on every machine.
        builder.config("spark.sql.session.timeZone", options.timeZone());
        if (options.shufflePartitions().isPresent()) {
            builder.config("spark.sql.shuffle.partitions", options.shufflePartitions().getAsInt());
        } else if (!submitted.contains("spark.sql.shuffle.partitions")) {
            // Spark's 200 suits a cluster-sized shuffle; these batches are a file or a few thousand messages.
            builder.config("spark.sql.shuffle.partitions", DEFAULT_SHUFFLE_PARTITIONS);
        }
        builder.config("spark.ui.showConsoleProgress", "false");
        if (isOnLocalDisk(options.checkpointDir())) {
            LOCAL_DISK.forEach((key, value) -> {
                if (!submitted.contains(key)) {
                    builder.config(key, value);
                }
            });
        }
        return builder.getOrCreate();
    }

    static boolean isOnLocalDisk(String location) {
        String scheme = new Path(location).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    private SparkSessions() {
    }
}
