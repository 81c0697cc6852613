package dev.orders.common;

import dev.orders.common.options.CommonOptions;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session both apps run in. */
public final class SparkSessions {
    public static final int DEFAULT_SHUFFLE_PARTITIONS = 2;

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
        return builder.getOrCreate();
    }

    private SparkSessions() {
    }
}
