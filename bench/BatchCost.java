package dev.orders.producer;

import static org.apache.spark.sql.functions.*;

import dev.orders.common.Schemas;
import dev.orders.common.options.CommonOptions;
import dev.orders.common.options.ProducerOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.LogicalRDD$;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What one producer batch costs in a warm JVM, part by part, for the README's benchmark: a run of whole
 * apps moves with this machine's speed from one hour to the next by more than most changes are worth, so
 * here every variant runs one after the other in the same JVM, round after round, and each is reported as
 * the median of its runs after the first third (the JIT's warm-up). A batch is one order file read as the
 * producer's {@code foreachBatch} gets it (the file source's plan run as an RDD of its own, then the
 * batch's plan over it), written to Spark's {@code noop} sink, so that Kafka is no part of it. Not part of
 * the build; in the producer's package, for its package-private parts:
 *
 * <pre>
 * CP="producer/target/orders-producer-1.0.0-SNAPSHOT.jar:$(cat spark-runtime/target/spark.classpath)"
 * OPENS=$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' pom.xml)
 * javac -d target/batch-cost -cp "$CP" bench/BatchCost.java
 * java $OPENS -Dlog4j2.configurationFile=conf/log4j2.properties -cp "target/batch-cost:$CP" \
 *     dev.orders.producer.BatchCost ORDER_FILE CUSTOMER_FILE ROUNDS VARIANT,VARIANT...
 * </pre>
 *
 * VARIANT: {@code bare} (the PySpark project: the file with its header, typed, joined with the cached
 * customers, {@code to_json}), {@code pipeline} (the producer's batch: file checks, validation, the join,
 * the Kafka records and the observed counts), {@code pipeline-no-file-checks} (a header line dropped by its
 * first column, no verdict on the file), {@code pipeline-no-counts} (without the observed counts); each
 * with {@code -plan} appended: only planned (analysis, optimization, physical planning), not run. Reported:
 * wall time and the tasks' CPU time (Spark's task metrics), medians and quartiles.
 */
public final class BatchCost {
    private static final Instant BATCH_CLOCK = Instant.parse("2026-01-01T00:00:00Z");

    private final SparkSession spark;
    private final String orderFile;
    private final Dataset<Row> bareCustomers;
    private final CustomerTable customers;
    private final Dataset<Row> bareLines;
    private final Dataset<Row> checkedLines;
    private final Dataset<Row> uncheckedLines;

    private BatchCost(SparkSession spark, String orderFile, String customerFile) {
        this.spark = spark;
        this.orderFile = orderFile;
        StructType customerSchema = new StructType().add("customer_id", "string").add("name", "string")
                .add("age", "int").add("city", "string");
        this.bareCustomers = spark.read().schema(customerSchema).option("header", true).csv(customerFile).cache();
        bareCustomers.count();
        this.customers = CustomerTable.load(spark, customerFile);
        StructType orderFileSchema = new StructType().add("order_id", "string").add("order_line_id", "int")
                .add("customer_id", "string").add("product", "string").add("amount", "decimal(12,2)")
                .add("order_date", "timestamp").add("quantity", "int");
        this.bareLines = spark.read().schema(orderFileSchema).option("header", true).csv(orderFile);
        Dataset<Row> lines = spark.read()
                .schema(Schemas.ORDER_FILE.add(OrderFiles.CORRUPT_RECORD, DataTypes.StringType))
                .option("header", false)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", OrderFiles.CORRUPT_RECORD)
                .csv(orderFile);
        this.checkedLines = OrderFiles.checked(lines, OrderFileChecks.of(spark));
        this.uncheckedLines = lines
                .filter(col(Schemas.ORDER_FILE_COLUMNS.get(0)).notEqual(Schemas.ORDER_FILE_COLUMNS.get(0)))
                .withColumn(dev.orders.common.Columns.SOURCE, input_file_name())
                .withColumn(OrderFiles.IN_FILE_WITH_ORDER_HEADER, lit(true))
                .withColumn(OrderFiles.FILE_PROBLEM, lit(null).cast("string"))
                .withColumn(OrderFiles.FILE_PROBLEM_ERROR, lit(null).cast("string"));
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[2]);
        List<String> variants = List.of(args[3].split(","));
        SparkSession spark = SparkSession.builder().master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .config("spark.sql.files.openCostInBytes", OrdersProducer.OPEN_COST_BYTES)
                .getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        AtomicLong taskCpuNanos = new AtomicLong();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    taskCpuNanos.addAndGet(end.taskMetrics().executorCpuTime());
                }
            }
        });
        BatchCost cost = new BatchCost(spark, args[0], args[1]);
        Map<String, List<Long>> wallMs = new LinkedHashMap<>();
        Map<String, List<Long>> cpuMs = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            List<String> order = new ArrayList<>(variants);
            Collections.rotate(order, round); // no variant always runs right after the same other
            for (String variant : order) {
                long started = System.nanoTime();
                long cpuBefore = taskCpuNanos.get();
                cost.run(variant, round);
                if (round >= rounds / 3) {
                    wallMs.computeIfAbsent(variant, v -> new ArrayList<>()).add((System.nanoTime() - started) / 1_000_000);
                    cpuMs.computeIfAbsent(variant, v -> new ArrayList<>()).add((taskCpuNanos.get() - cpuBefore) / 1_000_000);
                }
            }
        }
        for (String variant : variants) {
            System.out.printf("%-32s wall %s   task CPU %s   (%d runs)%n", variant, quartiles(wallMs.get(variant)),
                    quartiles(cpuMs.get(variant)), wallMs.get(variant).size());
        }
        spark.stop();
    }

    private void run(String variant, long batchId) {
        boolean planOnly = variant.endsWith("-plan");
        Dataset<Row> batch = switch (variant.replaceFirst("-plan$", "")) {
            case "bare" -> bare();
            case "pipeline" -> pipeline(true, true, batchId);
            case "pipeline-no-file-checks" -> pipeline(false, true, batchId);
            case "pipeline-no-counts" -> pipeline(true, false, batchId);
            default -> throw new IllegalArgumentException("no such variant: " + variant);
        };
        if (planOnly) {
            batch.queryExecution().executedPlan();
        } else {
            batch.write().format("noop").mode("overwrite").save();
        }
    }

    private Dataset<Row> bare() {
        return asForeachBatchGetsIt(bareLines)
                .join(bareCustomers, "customer_id")
                .select(col("customer_id").as("key"), to_json(struct(col("*"))).as("value"));
    }

    private Dataset<Row> pipeline(boolean fileChecks, boolean counts, long batchId) {
        Dataset<Row> lines = asForeachBatchGetsIt(fileChecks ? checkedLines : uncheckedLines);
        CommonOptions options = ProducerOptions.parse(new String[] {"--time-zone", "UTC"}, Map.of()).common();
        Observation observed = new Observation("batch-cost-" + UUID.randomUUID());
        return counts ? OrderBatchPublisher.kafkaRecords(lines, customers.current(), options, batchId, BATCH_CLOCK, observed)
                : OrderEnrichment.toKafkaRecords(OrderEnrichment.enrich(OrderValidation.validate(lines, options.timeZone(),
                        options.maxFuture(), BATCH_CLOCK), customers.current()), options.topic(),
                        options.deadLetterTopic(), batchId, BATCH_CLOCK);
    }

    /**
     * As Spark's foreachBatch sink hands a batch over: the source's plan (defined once, as a streaming query
     * is, and planned again for every batch) run as an RDD, under a plan of its own.
     */
    private Dataset<Row> asForeachBatchGetsIt(Dataset<Row> source) {
        Dataset<Row> planned = Dataset.ofRows(spark, source.logicalPlan());
        return Dataset.ofRows(spark, LogicalRDD$.MODULE$.fromDataset(planned.queryExecution().toRdd(), planned, false));
    }

    private static String quartiles(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format("%4d ms (%d-%d)", sorted.get(sorted.size() / 2), sorted.get(sorted.size() / 4),
                sorted.get(3 * sorted.size() / 4));
    }
}
