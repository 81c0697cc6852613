package dev.orders.producer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import dev.orders.common.SparkSessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.exchange.BroadcastExchangeExec;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderEnrichmentTest {
    private static final Instant BATCH_CLOCK = Instant.parse("2026-11-27T12:00:00Z");
    private final SparkSession spark = LocalSpark.session();

    @Test
    void knownCustomersArePublishedAsOrderDetailsAndTheRestAsDeadLetters() throws Exception {
        Dataset<Row> lines = orderLines();
        Dataset<Row> customers = spark.createDataFrame(List.of(RowFactory.create("C1", "Alice", 30, "Paris")),
                Schemas.CUSTOMER);

        Dataset<Row> enriched = OrderEnrichment.enrich(OrderValidation.validate(lines, "UTC", Duration.ofDays(1), BATCH_CLOCK), customers);
        assertKafkaRecords(enriched);
    }

    @Test
    void customersWithinTheBroadcastThresholdAreBroadcastAndLargerOnesJoinedBySortMerge() throws Exception {
        Dataset<Row> validated = OrderValidation.validate(orderLines(), "UTC", Duration.ofDays(1), BATCH_CLOCK);
        Dataset<Row> customers = spark.createDataFrame(List.of(RowFactory.create("C1", "Alice", 30, "Paris")),
                Schemas.CUSTOMER);
        long size = OrderEnrichment.sizeInBytes(customers);
        String threshold = "spark.sql.autoBroadcastJoinThreshold";
        String before = spark.conf().get(threshold);
        try {
            spark.conf().set(threshold, size);
            Dataset<Row> broadcast = OrderEnrichment.enrich(validated, customers);
            assertKafkaRecords(broadcast);
            assertEquals(List.of("BroadcastHashJoin"), joins(broadcast));

            spark.conf().set(threshold, size - 1);
            Dataset<Row> sortMerge = OrderEnrichment.enrich(validated, customers);
            assertKafkaRecords(sortMerge);
            assertEquals(List.of("SortMergeJoin"), joins(sortMerge));
        } finally {
            spark.conf().set(threshold, before);
        }
    }

    /**
     * A customer table too large to broadcast is cached hash-partitioned and sorted by customer_id (the
     * shuffle that keeps the last line of each id), so a batch's sort-merge join shuffles only the batch,
     * not the whole table again.
     */
    @Test
    void aCachedCustomerTableAboveTheThresholdIsJoinedWithoutShufflingItAgain(@TempDir Path dir) throws Exception {
        Dataset<Row> customers = cachedCustomers(dir);
        Dataset<Row> validated = OrderValidation.validate(orderLines(), "UTC", Duration.ofDays(1), BATCH_CLOCK);
        String threshold = "spark.sql.autoBroadcastJoinThreshold";
        String before = spark.conf().get(threshold);
        try {
            spark.conf().set(threshold, OrderEnrichment.sizeInBytes(customers) - 1);
            Dataset<Row> enriched = OrderEnrichment.enrich(validated, customers);
            assertKafkaRecords(enriched);

            List<String> plan = nodes(enriched);
            assertEquals(List.of("SortMergeJoin"), plan.stream().filter(node -> node.endsWith("Join")).toList());
            assertEquals(1, plan.stream().filter(node -> node.equals("Exchange")).count(), plan.toString());
            assertTrue(plan.contains("InMemoryTableScan"), plan.toString());
        } finally {
            spark.conf().set(threshold, before);
        }
    }

    /**
     * The cached customers keep the partitions of the shuffle that cleaned them; every batch collects the
     * broadcast side again, and it does so in one task, not one per cached partition.
     */
    @Test
    void cachedCustomersAreBroadcastFromOnePartition(@TempDir Path dir) throws Exception {
        Dataset<Row> customers = cachedCustomers(dir);
        assertEquals(SparkSessions.TEST_SHUFFLE_PARTITIONS, customers.rdd().getNumPartitions());

        Dataset<Row> enriched = OrderEnrichment.enrich(OrderValidation.validate(orderLines(), "UTC", Duration.ofDays(1), BATCH_CLOCK),
                customers);
        assertKafkaRecords(enriched);
        List<SparkPlan> broadcasts = ExecutedPlans.of(enriched).stream().filter(BroadcastExchangeExec.class::isInstance).toList();
        assertEquals(1, broadcasts.size());
        assertEquals(1, broadcasts.get(0).children().head().execute().getNumPartitions());
    }

    /** Three customers read and cached by {@link CustomerTable}, as the producer holds them. */
    private Dataset<Row> cachedCustomers(Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("customer.csv"), "customer_id,name,age,city\n"
                + "C1,Alice,30,Paris\nC2,Bob,41,Berlin\nC3,Chloé,25,Lyon\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        return CustomerTable.load(spark, file.toString()).current();
    }

    /** The joins in the plan a Dataset runs with (Adaptive Query Execution's final plan). */
    private static List<String> joins(Dataset<Row> enriched) {
        return nodes(enriched).stream().filter(node -> node.endsWith("Join")).toList();
    }

    /**
     * The nodes of the plan a Dataset runs with (Adaptive Query Execution's final plan), top down; a
     * cached table is one node, its own plan not included.
     */
    private static List<String> nodes(Dataset<Row> dataset) {
        return ExecutedPlans.of(dataset).stream().map(SparkPlan::nodeName).toList();
    }

    private Dataset<Row> orderLines() {
        return spark.createDataFrame(List.of(
                        RowFactory.create("O1", "1", "C1", "Widget", "19.99", "2024-05-01 10:00:00", "3", null, "file:/o.csv"),
                        RowFactory.create("O2", "1", "C9", "Ghost", "5.00", "2024-05-01 10:00:00", "1", null, "file:/o.csv"),
                        RowFactory.create("O3", "1", "C1", "Bad", "5.001", "2024-05-01 10:00:00", "1", null, "file:/o.csv")),
                Schemas.ORDER_FILE.add(OrderFiles.CORRUPT_RECORD, DataTypes.StringType)
                        .add(SOURCE, DataTypes.StringType))
                .withColumn(OrderFiles.IN_FILE_WITH_ORDER_HEADER, lit(true))
                .withColumn(OrderFiles.FILE_PROBLEM, lit(null).cast("string"))
                .withColumn(OrderFiles.FILE_PROBLEM_ERROR, lit(null).cast("string"));
    }

    /** O1 published with customer C1, O2's customer unknown, O3 malformed. */
    private static void assertKafkaRecords(Dataset<Row> enriched) {
        List<Row> records = OrderEnrichment.toKafkaRecords(enriched, "orders", Optional.of("dlq"), 7, BATCH_CLOCK)
                .orderBy("value").collectAsList();

        assertEquals(3, records.size());
        Row published = records.stream().filter(r -> r.getAs("topic").equals("orders")).findFirst().get();
        assertEquals("C1", published.getAs("key"));
        assertEquals("{\"customer_id\":\"C1\",\"name\":\"Alice\",\"age\":30,\"city\":\"Paris\",\"order_id\":\"O1\","
                + "\"order_line_id\":1,\"product\":\"Widget\",\"amount\":19.99,"
                + "\"order_date\":\"2024-05-01T10:00:00.000Z\",\"quantity\":3}", published.getAs("value"));

        ObjectMapper json = new ObjectMapper();
        List<String> deadLetters = records.stream().filter(r -> r.getAs("topic").equals("dlq"))
                .map(r -> {
                    try {
                        var node = json.readTree(r.<String>getAs("value"));
                        return r.getAs("key") + " " + node.get("stage").asText() + " " + node.get("reason").asText()
                                + " " + node.get("batch_id").asLong() + " " + node.get("rejected_at").asText()
                                + " " + node.get("raw").asText() + " | "
                                + node.get("error").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).sorted().toList();
        assertEquals(List.of(
                "file:/o.csv producer malformed_order 7 2026-11-27T12:00:00.000Z O3,1,C1,Bad,5.001,2024-05-01 10:00:00,1 | "
                        + "amount is not a non-negative decimal with at most 2 places: '5.001'",
                "file:/o.csv producer unknown_customer 7 2026-11-27T12:00:00.000Z O2,1,C9,Ghost,5.00,2024-05-01 10:00:00,1 | "
                        + "customer_id 'C9' is not in the customer file"),
                deadLetters);
    }

    @Test
    void withoutADeadLetterTopicOnlyPublishedLinesBecomeRecords() {
        Dataset<Row> enriched = spark.createDataFrame(List.of(
                                RowFactory.create("O1", 1, "C1", "Widget", null, null, 1, null, null, "raw", "src", "published"),
                        RowFactory.create("O2", 1, "C9", "Ghost", null, null, 1, "unknown_customer", "no", "raw", "src",
                                "unknown_customer")),
                Schemas.ORDER.add(REJECTION_REASON, DataTypes.StringType).add(REJECTION_ERROR, DataTypes.StringType)
                        .add(RAW, DataTypes.StringType).add(SOURCE, DataTypes.StringType)
                        .add(OrderEnrichment.OUTCOME, DataTypes.StringType))
                .withColumn(NAME, org.apache.spark.sql.functions.lit(null).cast("string"))
                .withColumn(AGE, org.apache.spark.sql.functions.lit(null).cast("int"))
                .withColumn(CITY, org.apache.spark.sql.functions.lit(null).cast("string"));

        List<Row> records = OrderEnrichment.toKafkaRecords(enriched, "orders", Optional.empty(), 0, BATCH_CLOCK).collectAsList();

        assertEquals(List.of("orders C1"), records.stream().map(r -> r.getAs("topic") + " " + r.getAs("key")).toList());
    }
}
