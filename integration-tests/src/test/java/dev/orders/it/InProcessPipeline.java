package dev.orders.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.common.JsonFormat;
import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import dev.orders.common.options.ConsumerOptions;
import dev.orders.common.options.ProducerOptions;
import dev.orders.consumer.OrderTotals;
import dev.orders.consumer.OrdersConsumer;
import dev.orders.producer.BatchReport;
import dev.orders.producer.OrdersProducer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.types.StructType;

/**
 * Runs the producer and consumer jobs in this JVM, with the command-line options the apps take, against
 * the test broker; reads back what they wrote.
 */
final class InProcessPipeline {
    private static final ObjectMapper JSON = new ObjectMapper();

    final PipelineFolders folders;
    final List<BatchReport> producerReports = new CopyOnWriteArrayList<>();
    private final TestKafka kafka;
    private final SparkSession spark = LocalSpark.session();

    InProcessPipeline(PipelineFolders folders, TestKafka kafka) {
        this.folders = folders;
        this.kafka = kafka;
        kafka.createTopics(folders.topic, folders.deadLetterTopic);
    }

    String[] producerArgs(String... extra) {
        return Stream.concat(Stream.of(
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", folders.topic,
                "--dead-letter-topic", folders.deadLetterTopic,
                "--orders-dir", folders.orders.toString(),
                "--customers-file", folders.customers.toString(),
                "--checkpoint-dir", folders.checkpoint("producer").toString()), Stream.of(extra))
                .toArray(String[]::new);
    }

    String[] consumerArgs(String... extra) {
        return Stream.concat(Stream.of(
                "--bootstrap-servers", kafka.bootstrapServers(),
                "--topic", folders.topic,
                "--dead-letter-topic", folders.deadLetterTopic,
                "--checkpoint-dir", folders.checkpoint("consumer").toString(),
                "--sink", "json",
                "--output-dir", folders.output.toString()), Stream.of(extra))
                .toArray(String[]::new);
    }

    /** The producer over every order file present, then stopped (--available-now). */
    void runProducer() throws TimeoutException, StreamingQueryException {
        startProducer("--available-now").awaitTermination();
    }

    StreamingQuery startProducer(String... extra) throws TimeoutException {
        ProducerOptions options = ProducerOptions.parse(producerArgs(extra), Map.of());
        return new OrdersProducer(spark, options, producerReports::add).start();
    }

    /** The consumer over every message present, then stopped; returns the orders query's batches. */
    List<StreamingQueryProgress> runConsumer() throws TimeoutException, StreamingQueryException {
        ConsumerOptions options = ConsumerOptions.parse(consumerArgs("--available-now"), Map.of());
        List<StreamingQuery> queries = new OrdersConsumer(spark, options, System.out).start();
        for (StreamingQuery query : queries) {
            query.awaitTermination();
        }
        return List.of(queries.get(0).recentProgress());
    }

    /** The json sink's rows, as {@code order_id|line|customer|name|age|city|product|amount|date|qty|total}. */
    List<String> output() {
        StructType schema = Schemas.ORDER_DETAILS.add("total_amount", OrderTotals.TOTAL_AMOUNT_TYPE);
        List<String> rows = new ArrayList<>();
        for (Row row : spark.read().schema(schema).options(JsonFormat.OPTIONS).json(folders.output.toString())
                .collectAsList()) {
            rows.add(String.join("|",
                    row.getAs("order_id"), String.valueOf((Integer) row.getAs("order_line_id")),
                    row.getAs("customer_id"), row.getAs("name"), String.valueOf((Integer) row.getAs("age")),
                    row.getAs("city"), row.getAs("product"),
                    ((BigDecimal) row.getAs("amount")).toPlainString(),
                    ((Timestamp) row.getAs("order_date")).toInstant().toString(),
                    String.valueOf((Integer) row.getAs("quantity")),
                    ((BigDecimal) row.getAs("total_amount")).toPlainString()));
        }
        rows.sort(null);
        return rows;
    }

    List<JsonNode> deadLetters() {
        return kafka.readAll(folders.deadLetterTopic).stream().map(record -> parse(record.value())).toList();
    }

    List<JsonNode> publishedOrders() {
        return kafka.readAll(folders.topic).stream().map(record -> parse(record.value())).toList();
    }

    static long sum(List<StreamingQueryProgress> progress, java.util.function.ToLongFunction<StreamingQueryProgress> f) {
        return progress.stream().mapToLong(f).sum();
    }

    static long duplicatesDropped(StreamingQueryProgress progress) {
        if (progress.stateOperators().length == 0) {
            return 0;
        }
        Long dropped = progress.stateOperators()[0].customMetrics().get("numDroppedDuplicateRows");
        return dropped == null ? 0 : dropped;
    }

    static long lateDropped(StreamingQueryProgress progress) {
        return progress.stateOperators().length == 0 ? 0 : progress.stateOperators()[0].numRowsDroppedByWatermark();
    }

    boolean outputExists() {
        return Files.exists(folders.output);
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
