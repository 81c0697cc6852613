package dev.orders.producer;

import dev.orders.common.BatchClock;
import dev.orders.common.CheckpointGuard;
import dev.orders.common.KafkaConnectivity;
import dev.orders.common.KafkaWrites;
import dev.orders.common.Locations;
import dev.orders.common.StartupException;
import dev.orders.common.Triggers;
import dev.orders.common.lifecycle.BatchGate;
import dev.orders.common.options.ProducerOptions;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer job: order files in, one Kafka record per order line out. The Spark session and the
 * receivers of batch reports and of ignored files are given to it, so tests run it in their own session
 * and read what it reports.
 */
public final class OrdersProducer {
    public static final String QUERY_NAME = "orders-producer";
    private static final Logger log = LoggerFactory.getLogger(OrdersProducer.class);
    private static final String OPEN_COST = "spark.sql.files.openCostInBytes";
    static final long OPEN_COST_BYTES = 128 * 1024;

    private final SparkSession spark;
    private final ProducerOptions options;
    private final Consumer<BatchReport> reports;
    private final Consumer<IgnoredOrderFile> ignoredFiles;
    private final BatchGate gate;

    /** Ignored order files are logged as warnings. */
    public OrdersProducer(SparkSession spark, ProducerOptions options, Consumer<BatchReport> reports) {
        this(spark, options, reports, ignored -> log.warn(ignored.message()));
    }

    /**
     * @param ignoredFiles receives each order file the file source will not read (too old, or a name it
     *     read before), once per version of the file, at start, after each batch and while the stream is idle
     */
    public OrdersProducer(SparkSession spark, ProducerOptions options, Consumer<BatchReport> reports,
            Consumer<IgnoredOrderFile> ignoredFiles) {
        this(spark, options, reports, ignoredFiles, new BatchGate());
    }

    /** @param gate what each batch passes before it writes: closed by a graceful stop */
    public OrdersProducer(SparkSession spark, ProducerOptions options, Consumer<BatchReport> reports,
            Consumer<IgnoredOrderFile> ignoredFiles, BatchGate gate) {
        this.gate = gate;
        this.spark = spark;
        this.options = options;
        this.reports = reports;
        this.ignoredFiles = ignoredFiles;
    }

    /** @throws StartupException when a file, Kafka or the checkpoint is not what the options say */
    public StreamingQuery start() throws TimeoutException {
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        requireFolder(options.ordersDir());
        CheckpointGuard.verify(hadoopConf, options.common().checkpointDir(),
                Map.of("orders-dir", options.ordersDir(), "topic", options.common().topic(),
                        // order dates without a zone are read in it: a re-sent file must get the same keys
                        "time-zone", options.common().timeZone()));
        KafkaConnectivity.check(options.common());
        writeKafkaWithDataSourceV2(spark);
        splitLargeFiles(spark);
        // What Spark is given is made absolute here, on the driver: an executor would resolve a relative
        // location in a working folder of its own. Checks and messages keep the locations as written.
        String ordersDir = Locations.qualify(options.ordersDir(), hadoopConf);
        String checkpointDir = Locations.qualify(options.common().checkpointDir(), hadoopConf);
        CustomerTable customers = CustomerTable.load(spark, Locations.qualify(options.customersFile(), hadoopConf));
        OrderBatchPublisher publisher = new OrderBatchPublisher(customers, new BatchClock(spark, checkpointDir),
                options, KafkaWrites.sinkOptions(options.common()), reports);
        UnreadOrderFiles unread = new UnreadOrderFiles(spark, ordersDir, checkpointDir,
                options.maxFileAge(), ignoredFiles);
        unread.audit();

        StreamingQuery query = OrderFiles.readStream(spark, ordersDir, options.maxFilesPerTrigger(),
                        options.maxFileAge())
                .writeStream()
                .queryName(QUERY_NAME)
                .option("checkpointLocation", checkpointDir)
                .trigger(Triggers.of(options.common()))
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (orderLines, batchId) -> gate.pass(() -> {
                    publisher.call(orderLines, batchId);
                    unread.audit();
                }))
                .start();
        StreamingQueryListener whenIdle = unread.whenIdle(query.id());
        spark.streams().addListener(whenIdle);
        if (!query.isActive()) { // ended before the listener was there to see it end
            spark.streams().removeListener(whenIdle);
        }
        return query;
    }

    /**
     * Spark reads a file of less than {@code spark.sql.files.openCostInBytes} (4 MB) times the cores as one
     * task: a one-file batch of 10,000 lines (0.7 MB) was parsed, validated, joined and written by one core
     * while the others idled. Counting an open as {@value #OPEN_COST_BYTES} bytes splits a file larger than
     * that over the cores, and keeps a small file in one task, where splitting would cost more than it saves.
     * Unless the session sets its own.
     */
    static void splitLargeFiles(SparkSession spark) {
        if (!spark.conf().contains(OPEN_COST)) {
            spark.conf().set(OPEN_COST, OPEN_COST_BYTES);
        }
    }

    /**
     * Spark writes {@code format("kafka")} batches through its older DataSource V1 path by default, where a
     * write's observed metrics never reach the {@link org.apache.spark.sql.Observation} waiting for them.
     * Kafka's DataSource V2 writer (the one streaming queries use) reports them, so each batch's counts
     * come with its one write instead of a second pass. Only the batch writers are affected: Kafka is taken
     * off the list of sources Spark keeps on V1.
     */
    static void writeKafkaWithDataSourceV2(SparkSession spark) {
        String key = "spark.sql.sources.useV1SourceList";
        String v1Sources = java.util.Arrays.stream(spark.conf().get(key).split(","))
                .map(String::trim)
                .filter(source -> !source.equalsIgnoreCase("kafka"))
                .collect(java.util.stream.Collectors.joining(","));
        spark.conf().set(key, v1Sources);
    }

    private void requireFolder(String location) {
        try {
            Path path = new Path(location);
            if (!path.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(path).isDirectory()) {
                throw new StartupException("orders folder is not a folder: " + location);
            }
        } catch (java.io.FileNotFoundException e) {
            throw new StartupException("orders folder not found: " + location);
        } catch (IOException e) {
            throw new StartupException("cannot read orders folder " + location + ": " + e.getMessage(), e);
        }
    }
}
