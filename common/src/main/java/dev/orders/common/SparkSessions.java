package dev.orders.common;

import dev.orders.common.options.CommonOptions;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The Spark session both apps run in. */
public final class SparkSessions {
    /**
     * The consumer's deduplication state is split into this many partitions, each a task of every batch, and
     * the number is frozen into the checkpoint at its first run: it is what the state can ever be spread
     * over. 8 keeps up to 8 executor cores busy; Spark's own 200 would make every small batch run 200 tasks.
     * A local master has no executors to spread over, so there it is the master's cores when fewer
     * ({@link #defaultShufflePartitions}).
     */
    public static final int DEFAULT_SHUFFLE_PARTITIONS = 8;
    private static final Pattern LOCAL_MASTER =
            Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\d+)?])?");
    /** The tests' batches are a handful of lines: fewer tasks keep them quick. */
    public static final int TEST_SHUFFLE_PARTITIONS = 2;

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

    /** Where the driver's UI serves every metric in Prometheus' text format. */
    public static final String PROMETHEUS_PATH = "/metrics/prometheus";
    /** A file of metrics sinks given by the user: the sinks are then left to it. */
    static final String METRICS_FILE = "spark.metrics.conf";

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
            builder.config("spark.sql.shuffle.partitions", defaultShufflePartitions(submitted.get("spark.master",
                    "local[*]"), Runtime.getRuntime().availableProcessors()));
        }
        builder.config("spark.ui.showConsoleProgress", "false");
        monitoring(appName, submitted).forEach(builder::config);
        if (isOnLocalDisk(options.checkpointDir())) {
            LOCAL_DISK.forEach((key, value) -> {
                if (!submitted.contains(key)) {
                    builder.config(key, value);
                }
            });
        }
        return builder.getOrCreate();
    }

    /**
     * {@value #DEFAULT_SHUFFLE_PARTITIONS}, or the cores of a local master ({@code local}, {@code local[N]},
     * {@code local[*]}) when fewer: on 2 cores, 8 state partitions made each small consumer batch run 8 state
     * tasks, and the no-data batch after it as many (the README's benchmark has what that cost).
     * {@code local-cluster} and real clusters get {@value #DEFAULT_SHUFFLE_PARTITIONS}.
     */
    static int defaultShufflePartitions(String master, int localCores) {
        Matcher local = LOCAL_MASTER.matcher(master.trim());
        if (!local.matches()) {
            return DEFAULT_SHUFFLE_PARTITIONS;
        }
        int cores = local.group(1) == null ? 1 : local.group(1).equals("*") ? localCores
                : Integer.parseInt(local.group(1));
        return Math.max(1, Math.min(DEFAULT_SHUFFLE_PARTITIONS, cores));
    }

    /**
     * Metrics in Prometheus format on the UI port ({@value #PROMETHEUS_PATH}), streaming queries' metrics
     * among them. The namespace is fixed, {@code orders_consumer} for {@code orders-consumer}: Spark's default
     * is the application id, which would give every metric a new name at every start. What the user set
     * (--conf, or a metrics file of their own for the sinks) is left as it is.
     */
    static Map<String, String> monitoring(String appName, SparkConf submitted) {
        Map<String, String> conf = new java.util.LinkedHashMap<>();
        conf.put("spark.metrics.namespace", metricsNamespace(appName));
        conf.put("spark.sql.streaming.metricsEnabled", "true");
        if (!submitted.contains(METRICS_FILE)) {
            conf.put("spark.metrics.conf.*.sink.prometheusServlet.class",
                    "org.apache.spark.metrics.sink.PrometheusServlet");
            conf.put("spark.metrics.conf.*.sink.prometheusServlet.path", PROMETHEUS_PATH);
        }
        conf.keySet().removeIf(submitted::contains);
        return conf;
    }

    /** {@code orders_producer} for {@code orders-producer}: the prefix of the app's metric names. */
    public static String metricsNamespace(String appName) {
        return appName.replaceAll("[^A-Za-z0-9]", "_");
    }

    static boolean isOnLocalDisk(String location) {
        String scheme = new Path(location).toUri().getScheme();
        return scheme == null || scheme.equals("file");
    }

    private SparkSessions() {
    }
}
