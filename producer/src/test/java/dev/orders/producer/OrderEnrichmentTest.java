package dev.orders.producer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

class OrderEnrichmentTest {
    private final SparkSession spark = LocalSpark.session();

    @Test
    void knownCustomersArePublishedAsOrderDetailsAndTheRestAsDeadLetters() throws Exception {
        Dataset<Row> lines = spark.createDataFrame(List.of(
                        RowFactory.create("O1", "1", "C1", "Widget", "19.99", "2024-05-01 10:00:00", "3", null, "file:/o.csv"),
                        RowFactory.create("O2", "1", "C9", "Ghost", "5.00", "2024-05-01 10:00:00", "1", null, "file:/o.csv"),
                        RowFactory.create("O3", "1", "C1", "Bad", "5.001", "2024-05-01 10:00:00", "1", null, "file:/o.csv")),
                Schemas.ORDER_FILE.add(OrderFiles.CORRUPT_RECORD, DataTypes.StringType)
                        .add(SOURCE, DataTypes.StringType))
                .withColumn(OrderFiles.IN_FILE_WITH_ORDER_HEADER, lit(true))
                .withColumn(OrderFiles.FILE_PROBLEM, lit(null).cast("string"))
                .withColumn(OrderFiles.FILE_PROBLEM_ERROR, lit(null).cast("string"));
        Dataset<Row> customers = spark.createDataFrame(List.of(RowFactory.create("C1", "Alice", 30, "Paris")),
                Schemas.CUSTOMER);

        Dataset<Row> enriched = OrderEnrichment.enrich(OrderValidation.validate(lines, "UTC", Duration.ofDays(1)), customers);
        List<Row> records = OrderEnrichment.toKafkaRecords(enriched, "orders", Optional.of("dlq"), 7)
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
                                + " " + node.get("batch_id").asLong() + " " + node.get("raw").asText() + " | "
                                + node.get("error").asText();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).sorted().toList();
        assertEquals(List.of(
                "file:/o.csv producer malformed_order 7 O3,1,C1,Bad,5.001,2024-05-01 10:00:00,1 | "
                        + "amount is not a non-negative decimal with at most 2 places: '5.001'",
                "file:/o.csv producer unknown_customer 7 O2,1,C9,Ghost,5.00,2024-05-01 10:00:00,1 | "
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

        List<Row> records = OrderEnrichment.toKafkaRecords(enriched, "orders", Optional.empty(), 0).collectAsList();

        assertEquals(List.of("orders C1"), records.stream().map(r -> r.getAs("topic") + " " + r.getAs("key")).toList());
    }
}
