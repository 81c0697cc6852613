package dev.orders.producer;

import static dev.orders.common.Columns.SOURCE;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.BatchClock;
import dev.orders.common.RejectionReason;
import dev.orders.common.options.CommonOptions;
import dev.orders.common.options.ProducerOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Observation;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;

/**
 * One producer micro-batch: validate the lines, join them with the customers as they are now, and write
 * every line to Kafka once, to order_details or to the dead-letter topic.
 *
 * <p>The batch is one Spark job: its counts (lines by outcome, files) are observed while the records are
 * written, not counted by a second pass over the batch.
 */
final class OrderBatchPublisher implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private static final String FILES = "files";

    private final transient CustomerTable customers;
    private final transient BatchClock clock;
    private final ProducerOptions options;
    private final Map<String, String> kafkaWriteOptions;
    private final transient Consumer<BatchReport> reports;

    OrderBatchPublisher(CustomerTable customers, BatchClock clock, ProducerOptions options,
            Map<String, String> kafkaWriteOptions, Consumer<BatchReport> reports) {
        this.customers = customers;
        this.clock = clock;
        this.options = options;
        this.kafkaWriteOptions = Map.copyOf(kafkaWriteOptions);
        this.reports = reports;
    }

    @Override
    public void call(Dataset<Row> orderLines, Long batchId) throws InterruptedException {
        long started = System.nanoTime();
        // Checked here, between batches, so that a batch is joined with one version of the file and a
        // new version applies from the next batch on.
        Dataset<Row> customersNow = customers.current();
        // The time Spark logged when it planned the batch: a batch run again after a failure rejects the
        // same lines as implausible_date as its first run did.
        Instant batchClock = clock.of(batchId);

        // Unique: Observations are matched by name across the whole Spark session.
        Observation observed = new Observation("orders-producer-batch-" + batchId + "-" + UUID.randomUUID());
        kafkaRecords(orderLines, customersNow, options.common(), batchId, batchClock, observed)
                .write()
                .format("kafka")
                .mode(SaveMode.Append) // a topic is appended to; Kafka's V2 writer refuses the default ErrorIfExists
                .options(kafkaWriteOptions)
                .save();
        reports.accept(report(batchId, observed.getAsJava(), started));
    }

    /**
     * The batch's Kafka records ({@code topic, key, value}): its lines validated, joined with the customers and
     * counted by outcome into {@code observed} as they are written.
     */
    static Dataset<Row> kafkaRecords(Dataset<Row> orderLines, Dataset<Row> customers, CommonOptions options,
            long batchId, Instant batchClock, Observation observed) {
        Dataset<Row> enriched = OrderEnrichment.enrich(OrderValidation.validate(orderLines, options.timeZone(),
                options.maxFuture(), batchClock), customers);
        return OrderEnrichment.toKafkaRecords(counted(enriched, observed), options.topic(),
                options.deadLetterTopic(), batchId, batchClock);
    }

    /** {@code enriched}, its lines counted by outcome and its files listed into {@code observed} as it is written. */
    private static Dataset<Row> counted(Dataset<Row> enriched, Observation observed) {
        List<Column> metrics = outcomeCounts();
        metrics.add(collect_set(SOURCE).as(FILES));
        return enriched.observe(observed, metrics.get(0), metrics.subList(1, metrics.size()).toArray(Column[]::new));
    }

    /** Lines by outcome: {@code published} and each rejection reason. */
    private static List<Column> outcomeCounts() {
        List<Column> counts = new ArrayList<>();
        counts.add(count_if(col(OrderEnrichment.OUTCOME).equalTo(OrderEnrichment.PUBLISHED)).as(OrderEnrichment.PUBLISHED));
        for (RejectionReason reason : RejectionReason.values()) {
            counts.add(count_if(col(OrderEnrichment.OUTCOME).equalTo(reason.code())).as(reason.code()));
        }
        return counts;
    }

    private static BatchReport report(long batchId, Map<String, Object> observed, long started) {
        long published = ((Number) observed.get(OrderEnrichment.PUBLISHED)).longValue();
        Map<String, Long> rejected = new LinkedHashMap<>();
        for (RejectionReason reason : RejectionReason.values()) {
            long n = ((Number) observed.get(reason.code())).longValue();
            if (n > 0) {
                rejected.put(reason.code(), n);
            }
        }
        @SuppressWarnings("unchecked")
        List<String> files = new ArrayList<>(scala.collection.JavaConverters.seqAsJavaList(
                (scala.collection.Seq<String>) observed.get(FILES)));
        files.sort(null);
        long lines = published + rejected.values().stream().mapToLong(Long::longValue).sum();
        return new BatchReport(batchId, files, lines, published, rejected, (System.nanoTime() - started) / 1_000_000);
    }
}
