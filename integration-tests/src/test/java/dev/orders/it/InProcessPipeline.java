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
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
        this(folders, kafka, 1);
    }

    /** With both topics of this many partitions. */
    InProcessPipeline(PipelineFolders folders, TestKafka kafka, int partitions) {
        this.folders = folders;
        this.kafka = kafka;
        kafka.createTopics(partitions, folders.topic, folders.deadLetterTopic);
    }

    String[] producerArgs(String... extra) {
        return folders.producerArgs(kafka.bootstrapServers(), extra);
    }

    String[] consumerArgs(String... extra) {
        return folders.consumerArgs(kafka.bootstrapServers(), extra);
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
        return outputOf(folders.output);
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

    /** The producer over every order file present, with these options besides, then stopped. */
    void runProducerWith(String... extra) throws TimeoutException, StreamingQueryException {
        startProducer(Stream.concat(Stream.of("--available-now"), Stream.of(extra)).toArray(String[]::new))
                .awaitTermination();
    }

    /** The producer started with exactly these arguments (see {@link #withOption}). */
    StreamingQuery startProducerWithArgs(String... args) throws TimeoutException {
        return new OrdersProducer(spark, ProducerOptions.parse(args, Map.of()), producerReports::add).start();
    }

    /** The consumer over every message present, with these options besides; returns the orders query's batches. */
    List<StreamingQueryProgress> runConsumerWith(String... extra) throws TimeoutException, StreamingQueryException {
        return runConsumerWithArgs(consumerArgs(
                Stream.concat(Stream.of("--available-now"), Stream.of(extra)).toArray(String[]::new)));
    }

    /**
     * The consumer with exactly these arguments (which should hold --available-now), awaited; returns the
     * orders query's batches.
     */
    List<StreamingQueryProgress> runConsumerWithArgs(String... args) throws TimeoutException, StreamingQueryException {
        List<StreamingQuery> queries = startConsumerWithArgs(args);
        for (StreamingQuery query : queries) {
            query.awaitTermination();
        }
        return List.of(queries.get(0).recentProgress());
    }

    /** The consumer's queries, started with exactly these arguments. */
    List<StreamingQuery> startConsumerWithArgs(String... args) throws TimeoutException {
        return new OrdersConsumer(spark, ConsumerOptions.parse(args, Map.of()), System.out).start();
    }

    /** {@code args} with the value of the option {@code name} (given once, as {@code name value}) replaced. */
    static String[] withOption(String[] args, String name, String value) {
        String[] changed = Arrays.copyOf(args, args.length);
        for (int i = 0; i < changed.length - 1; i++) {
            if (changed[i].equals(name)) {
                changed[i + 1] = value;
                return changed;
            }
        }
        throw new IllegalArgumentException(name + " is not in " + List.of(args));
    }

    /**
     * The counts the consumer observes on its input ({@code consumer_input}: rows, and rows by rejection
     * reason), summed over the batches; a field no batch counted is 0.
     */
    static Map<String, Long> inputCounts(List<StreamingQueryProgress> progress) {
        Map<String, Long> counts = new TreeMap<>();
        for (StreamingQueryProgress batch : progress) {
            Row input = batch.observedMetrics().get("consumer_input");
            if (input == null) {
                continue;
            }
            for (String field : input.schema().fieldNames()) {
                Object value = input.getAs(field);
                counts.merge(field, value == null ? 0L : ((Number) value).longValue(), Long::sum);
            }
        }
        return counts;
    }

    /** The rows of a json sink in {@code outputDir}, formatted as {@link #output()} formats them. */
    static List<String> outputOf(Path outputDir) {
        StructType schema = Schemas.ORDER_DETAILS.add("total_amount", OrderTotals.TOTAL_AMOUNT_TYPE);
        List<String> rows = new ArrayList<>();
        for (Row row : LocalSpark.session().read().schema(schema).options(JsonFormat.OPTIONS)
                .json(outputDir.toString()).collectAsList()) {
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

    /** How many rows of the json sink have a null in any column: a bad input turned into a row of nulls. */
    long outputRowsWithANull() {
        StructType schema = Schemas.ORDER_DETAILS.add("total_amount", OrderTotals.TOTAL_AMOUNT_TYPE);
        return spark.read().schema(schema).options(JsonFormat.OPTIONS).json(folders.output.toString())
                .collectAsList().stream().filter(row -> row.anyNull()).count();
    }
}
