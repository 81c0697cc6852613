package dev.orders.producer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import dev.orders.common.options.ProducerOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * One producer micro-batch: validate the lines, join them with the customers as they are now, and write
 * every line to Kafka once, to order_details or to the dead-letter topic.
 */
final class OrderBatchPublisher implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private static final StructType HEADER_REJECTION = new StructType()
            .add(REJECTION_REASON, DataTypes.StringType)
            .add(REJECTION_ERROR, DataTypes.StringType)
            .add(RAW, DataTypes.StringType)
            .add(SOURCE, DataTypes.StringType)
            .add(OrderEnrichment.OUTCOME, DataTypes.StringType);

    private final transient CustomerTable customers;
    private final ProducerOptions options;
    private final Map<String, String> kafkaWriteOptions;
    private final transient Consumer<BatchReport> reports;

    OrderBatchPublisher(CustomerTable customers, ProducerOptions options, Map<String, String> kafkaWriteOptions,
            Consumer<BatchReport> reports) {
        this.customers = customers;
        this.options = options;
        this.kafkaWriteOptions = Map.copyOf(kafkaWriteOptions);
        this.reports = reports;
    }

    @Override
    public void call(Dataset<Row> orderLines, Long batchId) throws IOException, InterruptedException {
        long started = System.nanoTime();
        // Checked here, between batches, so that a batch is joined with one version of the file and a
        // new version applies from the next batch on.
        Dataset<Row> customersNow = customers.current();

        // Several actions read the batch (its file list, then the write): read the files once.
        Dataset<Row> lines = orderLines.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<String> files = lines.select(SOURCE).distinct().as(org.apache.spark.sql.Encoders.STRING())
                    .collectAsList();
            Map<String, String> wrongHeaders = OrderFiles.filesWithWrongHeader(
                    lines.sparkSession().sparkContext().hadoopConfiguration(), files);

            Dataset<Row> enriched = OrderEnrichment.enrich(OrderValidation.validate(lines, wrongHeaders),
                    customersNow);
            Dataset<Row> records = OrderEnrichment.toKafkaRecords(
                    enriched.unionByName(headerLines(lines, wrongHeaders), true),
                    options.common().topic(), options.common().deadLetterTopic(), batchId);

            // Counted, then written: computed once.
            Dataset<Row> cachedRecords = records.persist(StorageLevel.MEMORY_AND_DISK());
            try {
                Map<String, Long> counts = countByOutcome(cachedRecords);
                cachedRecords.filter(col("topic").isNotNull())
                        .drop(OrderEnrichment.OUTCOME)
                        .write()
                        .format("kafka")
                        .options(kafkaWriteOptions)
                        .save();
                reports.accept(report(batchId, files, counts, started));
            } finally {
                cachedRecords.unpersist();
            }
        } finally {
            lines.unpersist();
        }
    }

    /** The first line of each file with a wrong header, as a rejected record of its own. */
    private static Dataset<Row> headerLines(Dataset<Row> lines, Map<String, String> wrongHeaders) {
        List<Row> rows = new ArrayList<>();
        wrongHeaders.forEach((file, firstLine) -> rows.add(RowFactory.create(
                RejectionReason.BAD_HEADER.code(),
                "the file does not start with the header " + Schemas.ORDER_FILE_HEADER,
                firstLine, file, RejectionReason.BAD_HEADER.code())));
        return lines.sparkSession().createDataFrame(rows, HEADER_REJECTION);
    }

    private static Map<String, Long> countByOutcome(Dataset<Row> records) {
        Map<String, Long> counts = new HashMap<>();
        for (Row row : records.groupBy(OrderEnrichment.OUTCOME).count().collectAsList()) {
            counts.put(row.getString(0), row.getLong(1));
        }
        return counts;
    }

    private static BatchReport report(long batchId, List<String> files, Map<String, Long> counts, long started) {
        Map<String, Long> rejected = new LinkedHashMap<>(counts);
        long published = rejected.containsKey(OrderEnrichment.PUBLISHED) ? rejected.remove(OrderEnrichment.PUBLISHED) : 0;
        long lines = counts.values().stream().mapToLong(Long::longValue).sum();
        return new BatchReport(batchId, files, lines, published, rejected, (System.nanoTime() - started) / 1_000_000);
    }
}
