package dev.orders.consumer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.orders.common.LocalSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class OrderDetailsParsingTest {
    static final String GOOD = "{\"customer_id\":\"C1\",\"name\":\"Alice\",\"age\":30,\"city\":\"Paris\","
            + "\"order_id\":\"O1\",\"order_line_id\":1,\"product\":\"Widget\",\"amount\":19.99,"
            + "\"order_date\":\"2024-05-01T12:00:00.000+02:00\",\"quantity\":3}";
    private static final StructType KAFKA_ROW = new StructType()
            .add("value", DataTypes.BinaryType)
            .add("topic", DataTypes.StringType)
            .add("partition", DataTypes.IntegerType)
            .add("offset", DataTypes.LongType);

    @Test
    void aGoodMessageIsTypedWithItsInstant() {
        Row row = parse(GOOD).get(0);

        assertNull(row.getAs(REJECTION_REASON));
        assertEquals("O1", row.getAs(ORDER_ID));
        assertEquals(new BigDecimal("19.99"), row.getAs(AMOUNT));
        assertEquals(Timestamp.from(Instant.parse("2024-05-01T10:00:00Z")), row.getAs(ORDER_DATE));
        assertEquals("order_details-0-0", row.getAs(SOURCE));
    }

    @Test
    void anAmountOfManyDigitsIsReadExactly() {
        Row row = parse(GOOD.replace("19.99", "9876543210.99")).get(0);

        assertNull(row.getAs(REJECTION_REASON));
        assertEquals(new BigDecimal("9876543210.99"), row.getAs(AMOUNT));
    }

    @Test
    void badMessagesAreRejectedWithAReasonNeverAsARowOfNulls() {
        List<Row> rows = parse(
                "not json at all",
                "[1,2,3]",
                GOOD.replace("\"quantity\":3", "\"quantity\":\"three\""),
                GOOD.replace("\"order_date\":\"2024-05-01T12:00:00.000+02:00\"", "\"order_date\":null"),
                GOOD.replace("\"order_id\":\"O1\",", ""),
                GOOD.replace("19.99", "19.999"),
                null,
                GOOD.replace("19.99", "12345678901.00"),
                GOOD.replace("\"age\":30", "\"age\":\"thirty\""));

        assertEquals(List.of(
                "invalid_json: not a JSON object",
                "invalid_json: not a JSON object",
                "wrong_type: wrong type: quantity",
                "missing_field: missing or null: order_date",
                "missing_field: missing or null: order_id",
                "wrong_type: amount is not money (at most 10 digits and 2 decimal places): 19.999",
                "invalid_json: not a JSON object",
                "wrong_type: amount is not money (at most 10 digits and 2 decimal places): 12345678901",
                "wrong_type: wrong type: age"),
                rows.stream().map(r -> r.getAs(REJECTION_REASON) + ": " + r.getAs(REJECTION_ERROR)).toList());
        assertEquals("not json at all", rows.get(0).getAs(RAW));
        assertEquals("order_details-0-6", rows.get(6).getAs(SOURCE));
    }

    private static List<Row> parse(String... values) {
        List<Row> messages = new ArrayList<>();
        for (int offset = 0; offset < values.length; offset++) {
            byte[] value = values[offset] == null ? null
                    : values[offset].getBytes(java.nio.charset.StandardCharsets.UTF_8);
            messages.add(RowFactory.create(value, "order_details", 0, (long) offset));
        }
        return OrderDetailsParsing.parse(LocalSpark.session().createDataFrame(messages, KAFKA_ROW))
                .orderBy(element_at(split(col(SOURCE), "-"), -1).cast("int")) // by offset
                .collectAsList();
    }
}
