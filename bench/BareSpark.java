import static org.apache.spark.sql.functions.*;

import dev.orders.common.KafkaReads;
import dev.orders.common.KafkaWrites;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;

/**
 * The PySpark project as bare Spark, for the README's benchmark: what Spark itself costs on a machine, with
 * none of the pipeline's checks, dead letters, metrics or exactly-once file output. Not part of the build;
 * run it beside the apps against the same broker and data (for example a broker from {@code bin/pipeline
 * kafka} and the files of a {@code bin/pipeline bench --work-dir DIR} run, whose producer filled the topic):
 *
 * <pre>
 * CP="consumer/target/orders-consumer-1.0.0-SNAPSHOT.jar:$(cat spark-runtime/target/spark.classpath)"
 * OPENS=$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' pom.xml)
 * javac -d target/bare -cp "$CP" bench/BareSpark.java
 * java $OPENS -Dlog4j2.configurationFile=conf/log4j2.properties -cp "target/bare:$CP" \
 *     BareSpark MODE BOOTSTRAP WORK_DIR [ORDERS_DIR CUSTOMER_FILE]
 * </pre>
 *
 * MODE: {@code producer} (order files, one per batch, joined with the cached customers, to_json, Kafka),
 * {@code producer-no-join}, {@code producer-v1} (Kafka's DataSource V1 batch writer, Spark's default in
 * {@code foreachBatch}), {@code consumer} (from_json, 10-minute watermark, dropDuplicatesWithinWatermark,
 * total, {@code noop} sink), {@code consumer-read} (the messages' values to {@code noop}). The consumer reads
 * topic {@code $TOPIC} (default order_details) from the start, 100,000 messages per batch; the producer writes
 * to {@code $TOPIC} (default bare_MODE). Each runs until caught up ({@code Trigger.AvailableNow}), or, with
 * {@code $TRIGGER} set (say {@code 250 milliseconds}), on that trigger until stopped; with {@code $OUTPUT} set
 * the consumer writes json files there instead of to {@code noop} (the bench's latency run). Settings are the
 * apps' own where they are configuration: 2 state partitions, 128 KiB open cost, the local-disk checkpoint
 * manager, the Kafka client settings of KafkaWrites and KafkaReads (read from them, in the consumer jar).
 */
public final class BareSpark {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        String bootstrap = args[1];
        String work = args[2];
        SparkSession spark = SparkSession.builder().master("local[*]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.files.openCostInBytes", "131072")
                .config("spark.sql.streaming.checkpointFileManagerClass",
                        "org.apache.spark.sql.execution.streaming.FileSystemBasedCheckpointFileManager")
                .config("spark.hadoop.fs.file.impl", "org.apache.hadoop.fs.RawLocalFileSystem")
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        if (!mode.equals("producer-v1")) {
            spark.conf().set("spark.sql.sources.useV1SourceList", "avro,csv,json,orc,parquet,text");
        }
        List<long[]> batches = Collections.synchronizedList(new ArrayList<>());
        spark.streams().addListener(new StreamingQueryListener() {
            @Override
            public void onQueryStarted(QueryStartedEvent event) {
            }

            @Override
            public void onQueryProgress(QueryProgressEvent event) {
                StreamingQueryProgress progress = event.progress();
                if (progress.numInputRows() > 0) {
                    batches.add(new long[] {progress.numInputRows(), progress.durationMs().get("triggerExecution")});
                }
            }

            @Override
            public void onQueryTerminated(QueryTerminatedEvent event) {
            }
        });
        StreamingQuery query = mode.startsWith("consumer") ? consumer(spark, mode, bootstrap, work)
                : producer(spark, mode, bootstrap, work, args[3], args[4]);
        query.awaitTermination();
        report(mode, batches);
        spark.stop();
    }

    private static StreamingQuery producer(SparkSession spark, String mode, String bootstrap, String work,
            String ordersDir, String customerFile) throws Exception {
        StructType orderFile = new StructType().add("order_id", "string").add("order_line_id", "int")
                .add("customer_id", "string").add("product", "string").add("amount", "decimal(12,2)")
                .add("order_date", "timestamp").add("quantity", "int");
        StructType customerSchema = new StructType().add("customer_id", "string").add("name", "string")
                .add("age", "int").add("city", "string");
        Dataset<Row> customers = spark.read().schema(customerSchema).option("header", true).csv(customerFile).cache();
        customers.count();
        return spark.readStream().schema(orderFile).option("header", true).option("maxFilesPerTrigger", 1)
                .csv(ordersDir)
                .writeStream()
                .trigger(trigger())
                .option("checkpointLocation", work + "/checkpoint")
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (lines, batchId) -> {
                    Dataset<Row> rows = mode.equals("producer-no-join") ? lines : lines.join(customers, "customer_id");
                    rows.select(col("customer_id").as("key"), to_json(struct(col("*"))).as("value"))
                            .write().format("kafka").mode("append")
                            .options(kafkaOptions(KafkaWrites.clientDefaults()))
                            .option("kafka.bootstrap.servers", bootstrap)
                            .option("topic", System.getenv().getOrDefault("TOPIC", "bare_" + mode.replace('-', '_')))
                            .save();
                })
                .start();
    }

    private static StreamingQuery consumer(SparkSession spark, String mode, String bootstrap, String work)
            throws Exception {
        StructType orderDetails = new StructType().add("customer_id", "string").add("name", "string")
                .add("age", "int").add("city", "string").add("order_id", "string").add("order_line_id", "int")
                .add("product", "string").add("amount", "decimal(12,2)").add("order_date", "timestamp")
                .add("quantity", "int");
        Dataset<Row> messages = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", bootstrap)
                .option("subscribe", System.getenv().getOrDefault("TOPIC", "order_details"))
                .option("startingOffsets", "earliest")
                .option("maxOffsetsPerTrigger", 100_000)
                .options(kafkaOptions(KafkaReads.LATENCY_DEFAULTS))
                .load();
        Dataset<Row> out = mode.equals("consumer-read") ? messages.select(col("value"))
                : messages.select(from_json(col("value").cast("string"), orderDetails).as("order")).select("order.*")
                        .withWatermark("order_date", "10 minutes")
                        .dropDuplicatesWithinWatermark("order_id", "order_line_id", "order_date")
                        .withColumn("total_amount", col("quantity").multiply(col("amount")));
        String output = System.getenv("OUTPUT");
        return (output == null ? out.writeStream().format("noop") : out.writeStream().format("json").option("path", output))
                .trigger(trigger())
                .option("checkpointLocation", work + "/checkpoint").start();
    }

    private static Trigger trigger() {
        String interval = System.getenv("TRIGGER");
        return interval == null ? Trigger.AvailableNow() : Trigger.ProcessingTime(interval);
    }

    /** The apps' Kafka client settings (from the consumer jar's copy of common), as Spark's kafka.-prefixed options. */
    private static Map<String, String> kafkaOptions(Map<String, String> clientSettings) {
        Map<String, String> options = new HashMap<>();
        clientSettings.forEach((key, value) -> options.put("kafka." + key, value));
        return options;
    }

    /** Time in batches (their triggers summed), rate, the first batch and the median batch of the second half. */
    private static void report(String mode, List<long[]> batches) {
        long rows = 0;
        long millis = 0;
        List<Long> durations = new ArrayList<>();
        for (long[] batch : batches) {
            rows += batch[0];
            millis += batch[1];
            durations.add(batch[1]);
        }
        List<Long> warm = new ArrayList<>(durations.subList(durations.size() / 2, durations.size()));
        Collections.sort(warm);
        System.out.printf("BARE %s: %d batches, %d rows, %d ms in batches (%d/s), first %d ms, warm median %d ms%n",
                mode, batches.size(), rows, millis, rows * 1000 / Math.max(1, millis), durations.get(0),
                warm.get((warm.size() - 1) / 2));
    }

    private BareSpark() {
    }
}
