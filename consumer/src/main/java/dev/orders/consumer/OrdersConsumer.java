package dev.orders.consumer;

import static org.apache.spark.sql.functions.*;

import dev.orders.common.BatchClock;
import dev.orders.common.CheckpointGuard;
import dev.orders.common.Columns;
import dev.orders.common.DeadLetters;
import dev.orders.common.JsonFormat;
import dev.orders.common.KafkaConnectivity;
import dev.orders.common.KafkaReads;
import dev.orders.common.KafkaWrites;
import dev.orders.common.Locations;
import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import dev.orders.common.StartupException;
import dev.orders.common.Triggers;
import dev.orders.common.lifecycle.BatchGate;
import dev.orders.common.lifecycle.BatchGates;
import dev.orders.common.options.ConsumerOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer job: order_details in, each order line once with its total_amount out. Two queries read
 * the topic: {@value #ORDERS_QUERY} (parse, watermark, deduplicate, total, sink) and
 * {@value #DEAD_LETTER_QUERY} (the messages that do not parse, to the dead-letter topic).
 */
public final class OrdersConsumer {
    private static final Logger log = LoggerFactory.getLogger(OrdersConsumer.class);
    public static final String ORDERS_QUERY = "orders-consumer";
    public static final String DEAD_LETTER_QUERY = "orders-consumer-dead-letters";
    /** Names of the metrics each batch observes, read back by {@link BatchProgressLog}. */
    static final String INPUT_METRICS = "consumer_input";
    static final String OUTPUT_METRICS = "consumer_output";

    private final SparkSession spark;
    private final ConsumerOptions options;
    private final PrintStream console;
    /**
     * The locations Spark is given, made absolute here on the driver: an executor would resolve a relative one
     * in a working folder of its own. Checks and messages keep the locations as the user wrote them.
     */
    private final String checkpointDir;
    private final Optional<String> outputDir;
    private final BatchGates gates;

    public OrdersConsumer(SparkSession spark, ConsumerOptions options, PrintStream console) {
        this(spark, options, console, new BatchGates());
    }

    /** @param gates what the batches of the queries that write themselves pass before they write */
    public OrdersConsumer(SparkSession spark, ConsumerOptions options, PrintStream console, BatchGates gates) {
        this.gates = gates;
        this.spark = spark;
        this.options = options;
        this.console = console;
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        this.checkpointDir = Locations.qualify(options.common().checkpointDir(), hadoopConf);
        this.outputDir = options.outputDir().map(dir -> Locations.qualify(dir, hadoopConf));
    }

    /**
     * Starts the queries: the orders query first, then the dead-letter query when there is a topic for it.
     *
     * @throws dev.orders.common.StartupException when Kafka, the checkpoint or the output folder is not what
     *     the options say, or Kafka no longer has messages the checkpoint has not read
     */
    public List<StreamingQuery> start() throws TimeoutException {
        Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
        String checkpointId = CheckpointGuard.verify(hadoopConf, options.common().checkpointDir(), Map.of(
                "topic", options.common().topic(),
                "watermark", options.watermark(),
                "deduplication-key", String.join(",", Schemas.ORDER_LINE_KEY),
                "sink", options.sink().code() + options.outputDir().map(dir -> " " + dir).orElse("")));
        QueryCheckpoint ordersCheckpoint = new QueryCheckpoint(hadoopConf, checkpoint("orders"));
        KafkaConnectivity.check(options.common());
        List<QueryCheckpoint> checkpoints = new ArrayList<>(List.of(ordersCheckpoint));
        if (options.common().deadLetterTopic().isPresent()) {
            checkpoints.add(new QueryCheckpoint(hadoopConf, checkpoint("dead-letters")));
        }
        checkLostOffsets(checkpoints);
        // Last, once every other check passed: claiming writes into the output folder.
        if (options.outputDir().isPresent()) {
            OutputFolderOwner.claim(hadoopConf, options.outputDir().get(), options.common().checkpointDir(),
                    checkpointId, hasCommittedBatch(ordersCheckpoint));
        }

        List<StreamingQuery> queries = new ArrayList<>();
        queries.add(startOrdersQuery());
        if (options.common().deadLetterTopic().isPresent()) {
            queries.add(startDeadLetterQuery(options.common().deadLetterTopic().get()));
        }
        return queries;
    }

    /** Refuses to start past messages Kafka deleted before they were read, unless told to skip them. */
    private void checkLostOffsets(List<QueryCheckpoint> checkpoints) {
        List<LostOffsets.Gap> lost = LostOffsets.find(options.common(), checkpoints);
        if (lost.isEmpty()) {
            return;
        }
        if (!options.skipLostOffsets()) {
            throw new StartupException("checkpoint " + options.common().checkpointDir() + " has not read messages"
                    + " Kafka no longer has: " + LostOffsets.describe(lost)
                    + "; use --skip-lost-offsets to skip them knowingly");
        }
        log.warn("--skip-lost-offsets: skipping messages Kafka deleted before they were read: {}",
                LostOffsets.counts(lost));
    }

    private static boolean hasCommittedBatch(QueryCheckpoint checkpoint) {
        try {
            return checkpoint.lastCommittedBatch().isPresent();
        } catch (IOException e) {
            throw new StartupException("cannot read checkpoint " + checkpoint.location() + ": " + e.getMessage(), e);
        }
    }

    private StreamingQuery startOrdersQuery() throws TimeoutException {
        List<Column> inputCounts = inputCounts();
        Dataset<Row> parsed = OrderDetailsParsing.parse(readTopic(), options.common().maxFuture())
                .observe(INPUT_METRICS, inputCounts.get(0), inputCounts.subList(1, inputCounts.size())
                        .toArray(Column[]::new));
        Dataset<Row> orders = OrderTotals.withTotalAmount(
                        OrderDeduplication.dropDuplicates(OrderDetailsParsing.accepted(parsed), options.watermark()))
                .observe(OUTPUT_METRICS, count(lit(1)).as("rows"));

        DataStreamWriter<Row> writer = orders.writeStream()
                .queryName(ORDERS_QUERY)
                .option("checkpointLocation", checkpoint("orders"))
                .trigger(Triggers.of(options.common()));
        return switch (options.sink()) {
            case CONSOLE -> {
                ConsoleBatchPrinter printer = new ConsoleBatchPrinter(console);
                BatchGate gate = gates.of(ORDERS_QUERY);
                yield writer.foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) ->
                        gate.pass(() -> printer.call(batch, batchId))).start();
            }
            case JSON -> writer.format("json").options(JsonFormat.OPTIONS).option("path", outputDir.get())
                    .start();
            case NOOP -> writer.format("noop").start();
        };
    }

    private StreamingQuery startDeadLetterQuery(String deadLetterTopic) throws TimeoutException {
        Map<String, String> kafkaWrite = new HashMap<>(KafkaWrites.sinkOptions(options.common()));
        kafkaWrite.put("topic", deadLetterTopic);
        BatchGate gate = gates.of(DEAD_LETTER_QUERY);
        BatchClock clock = new BatchClock(spark, checkpoint("dead-letters"));
        VoidFunction2<Dataset<Row>, Long> publish = (rejected, batchId) -> gate.pass(() ->
                DeadLetters.toKafkaRecords(rejected, DeadLetters.Stage.CONSUMER, batchId, clock.of(batchId))
                        .write().format("kafka").mode(SaveMode.Append).options(kafkaWrite).save());
        return OrderDetailsParsing.rejected(OrderDetailsParsing.parse(readTopic(), options.common().maxFuture()))
                .writeStream()
                .queryName(DEAD_LETTER_QUERY)
                .option("checkpointLocation", checkpoint("dead-letters"))
                // Off the orders' path: this query reads and parses the topic on its own, and run as often
                // as the orders query it took CPU from every orders batch (latency bench on 2 cores, p50
                // 2.96 s with dead letters every second, 2.06 s every minute). A dead letter can wait.
                .trigger(Triggers.every(options.deadLetterTriggerInterval(), options.common()))
                .foreachBatch(publish)
                .start();
    }

    private Dataset<Row> readTopic() {
        DataStreamReader reader = spark.readStream()
                .format("kafka")
                .options(KafkaReads.sourceOptions(options.common()))
                .option("subscribe", options.common().topic())
                .option("startingOffsets", options.startingOffsets());
        if (options.skipLostOffsets()) {
            reader = reader.option("failOnDataLoss", "false");
        }
        if (options.maxOffsetsPerTrigger().isPresent()) {
            reader = reader.option("maxOffsetsPerTrigger", options.maxOffsetsPerTrigger().getAsLong());
        }
        return reader.load();
    }

    /** A query's checkpoint inside the app's, on storage the driver and every executor see. */
    private String checkpoint(String query) {
        return Locations.join(checkpointDir, query);
    }

    private static List<Column> inputCounts() {
        List<Column> counts = new ArrayList<>();
        counts.add(count(lit(1)).as("rows"));
        for (RejectionReason reason : RejectionReason.values()) {
            counts.add(sum(when(col(Columns.REJECTION_REASON).equalTo(reason.code()), 1L).otherwise(0L))
                    .as(reason.code()));
        }
        return counts;
    }
}
