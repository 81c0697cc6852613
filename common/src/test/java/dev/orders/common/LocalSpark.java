package dev.orders.common;

import org.apache.spark.sql.SparkSession;

/** One local Spark session per test JVM, configured as the apps configure theirs (UTC, checkpoints on a local disk), with 2 shuffle partitions for tiny batches. */
public final class LocalSpark {
    private static SparkSession spark;

    public static synchronized SparkSession session() {
        if (spark == null) {
            SparkSession.Builder builder = SparkSession.builder()
                    .appName("orders-pipeline-tests")
                    .master("local[2]")
                    .config("spark.sql.session.timeZone", "UTC")
                    .config("spark.sql.shuffle.partitions", SparkSessions.TEST_SHUFFLE_PARTITIONS)
                    .config("spark.ui.enabled", false);
            SparkSessions.LOCAL_DISK.forEach(builder::config); // tests keep their checkpoints in temporary folders
            spark = builder.getOrCreate();
        }
        return spark;
    }

    private LocalSpark() {
    }
}
