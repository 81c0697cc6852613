package dev.orders.consumer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.orders.common.EventTimes;
import dev.orders.common.LocalSpark;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
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
            .add("offset", DataTypes.LongType)
            .add("timestamp", DataTypes.TimestampType);
    private static final Duration MAX_FUTURE = Duration.ofDays(1);

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


    @Test
    void anOrderDateThatIsNoDateWithItsZoneIsAWrongTypeNamingTheAcceptedForms() {
        List<Row> rows = parse(
                withDate("2024-02-30T08:00:00.000Z"),
                withDate("2024-13-01T08:00:00.000Z"),
                withDate("2024-05-01T08:00:00.000"),
                withDate("2024-05-01 08:00:00"),
                withDate("20244-05-01T08:00:00.000Z"),
                GOOD.replace("\"2024-05-01T12:00:00.000+02:00\"", "1714550400"),
                GOOD.replace("\"2024-05-01T12:00:00.000+02:00\"", "{\"day\":\"2024-05-01\"}"));

        String formats = "wrong_type: order_date is not " + EventTimes.FORMATS_WITH_ZONE + ": ";
        assertEquals(List.of(
                formats + "'2024-02-30T08:00:00.000Z'",
                formats + "'2024-13-01T08:00:00.000Z'",
                formats + "'2024-05-01T08:00:00.000'",
                formats + "'2024-05-01 08:00:00'",
                formats + "'20244-05-01T08:00:00.000Z'",
                formats + "'1714550400'",
                formats + "'{\"day\":\"2024-05-01\"}'"),
                rows.stream().map(OrderDetailsParsingTest::rejection).toList());
    }

    @Test
    void anOrderDateTooFarAheadIsImplausibleSoItCannotMoveTheWatermark() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<Row> rows = parse(
                withDate("9999-12-31T23:59:59.000Z"),
                withDate(now.plus(Duration.ofDays(2)).toString()),
                withDate(now.plus(Duration.ofHours(23)).toString()));

        assertEquals(List.of(
                "implausible_date: order_date is more than 1 day ahead of the time the message was written: "
                        + "'9999-12-31T23:59:59.000Z'",
                "implausible_date: order_date is more than 1 day ahead of the time the message was written: '"
                        + now.plus(Duration.ofDays(2)) + "'",
                "null: null"),
                rows.stream().map(OrderDetailsParsingTest::rejection).toList());
        assertEquals(Timestamp.from(now.plus(Duration.ofHours(23))), rows.get(2).getAs(ORDER_DATE));
    }

    @Test
    void valuesOfTheRightTypeThatTheProducerWouldRejectAreInvalidValues() {
        List<Row> rows = parse(
                GOOD.replace("19.99", "-1.00"),
                GOOD.replace("\"quantity\":3", "\"quantity\":-2"),
                GOOD.replace("\"order_line_id\":1", "\"order_line_id\":-1"),
                GOOD.replace("\"order_id\":\"O1\"", "\"order_id\":\"\""),
                GOOD.replace("\"customer_id\":\"C1\"", "\"customer_id\":\"  \""),
                GOOD.replace("19.99", "-0.01").replace("\"order_id\":\"O1\"", "\"order_id\":\" \""),
                GOOD.replace("19.99", "0").replace("\"quantity\":3", "\"quantity\":0"));

        assertEquals(List.of(
                "invalid_value: amount is negative: -1.00",
                "invalid_value: quantity is negative: -2",
                "invalid_value: order_line_id is negative: -1",
                "invalid_value: order_id is empty",
                "invalid_value: customer_id is empty",
                "invalid_value: amount is negative: -0.01, order_id is empty",
                "null: null"),
                rows.stream().map(OrderDetailsParsingTest::rejection).toList());
        assertEquals(new BigDecimal("0.00"), rows.get(6).getAs(AMOUNT));
    }

    @Test
    void aGoodMessageIsStillTypedExactly() {
        Row row = parse(GOOD).get(0);

        assertEquals(List.of("C1", "Alice", 30, "Paris", "O1", 1, "Widget", new BigDecimal("19.99"),
                Timestamp.from(Instant.parse("2024-05-01T10:00:00Z")), 3, "null: null"),
                List.of(CUSTOMER_ID, NAME, AGE, CITY, ORDER_ID, ORDER_LINE_ID, PRODUCT, AMOUNT, ORDER_DATE, QUANTITY,
                        REJECTION_REASON).stream()
                        .map(name -> name.equals(REJECTION_REASON) ? rejection(row) : row.get(row.fieldIndex(name)))
                        .toList());
        assertEquals(GOOD, row.getAs(RAW));
    }

    @Test
    void noBytesMakeTheParseFailEachMessageEndsWithAReason() {
        assertHostileMessagesEndWithAReason();
    }

    @Test
    void noBytesMakeTheParseFailUnderAnsiModeEither() {
        // spark.sql.ansi.enabled turns an overflowing cast into an error: none may be reachable from a message.
        LocalSpark.session().conf().set("spark.sql.ansi.enabled", "true");
        try {
            assertHostileMessagesEndWithAReason();
        } finally {
            LocalSpark.session().conf().unset("spark.sql.ansi.enabled");
        }
    }

    private static void assertHostileMessagesEndWithAReason() {
        byte[] invalidUtf8 = {'{', '"', 'o', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'};
        List<Row> rows = parseBytes(
                bytes(GOOD.replace("\"quantity\":3", "\"quantity\":99999999999")),
                bytes(GOOD.replace("\"quantity\":3", "\"quantity\":1e400")),
                bytes(GOOD.replace("19.99", "1" + "0".repeat(2000))),
                bytes(GOOD.replace("19.99", "1e999999999")),
                bytes(GOOD.replace("19.99", "NaN")),
                bytes(GOOD.replace("\"order_line_id\":1", "\"order_line_id\":{\"a\":[1,2]}")),
                bytes(GOOD.replace("\"quantity\":3", "\"quantity\":null").replace("\"name\":\"Alice\"",
                        "\"name\":null")),
                null,
                new byte[0],
                invalidUtf8,
                bytes(GOOD.replace("\"O1\"", "\"O1\\u0000\\ud800\"")),
                bytes("[".repeat(5000) + "]".repeat(5000)),
                bytes("{\"a\":" + "[".repeat(5000) + "]".repeat(5000) + "}"),
                bytes("\"just a string\""),
                bytes("null"),
                bytes(GOOD + GOOD),
                bytes(GOOD.replace("Widget", "W\u00efdg\u20ac\uD83D\uDE00")),
                bytes(GOOD.replace("19.99", "12345678901.00")),
                bytes(GOOD.replace("19.99", "-99999999999999999999.5")),
                // Rounded to two places, past the largest money (9999999999.99): no cast may overflow.
                bytes(GOOD.replace("19.99", "9999999999.999")),
                bytes(GOOD.replace("19.99", "-9999999999.995")),
                bytes(GOOD.replace("19.99", "9999999999.99")));

        assertEquals(List.of(
                "wrong_type: wrong type: quantity",
                "wrong_type: wrong type: quantity",
                // Beyond the JSON parser's limits (1000 digits, 1000 levels of nesting): not JSON to it.
                "invalid_json: not a JSON object",
                "wrong_type: amount is not money (at most 10 digits and 2 decimal places): \"Infinity\"",
                "wrong_type: amount is not money (at most 10 digits and 2 decimal places): \"NaN\"",
                "wrong_type: wrong type: order_line_id",
                "missing_field: missing or null: quantity",
                "invalid_json: not a JSON object",
                "invalid_json: not a JSON object",
                "missing_field: missing or null: order_id, order_line_id, order_date, customer_id, amount, quantity",
                "null: null",
                "invalid_json: not a JSON object",
                "invalid_json: not a JSON object",
                "invalid_json: not a JSON object",
                "invalid_json: not a JSON object",
                // Known gap: Spark's JSON reader stops after the first value; what follows it is not looked at.
                "null: null",
                "null: null",
                "wrong_type: amount is not money (at most 10 digits and 2 decimal places): 12345678901",
                // Too wide even for the wide read: the error shows the number as text read it (through a double);
                // the dead letter's raw keeps it exactly.
                "wrong_type: amount is not money (at most 10 digits and 2 decimal places): -1.0E20",
                "wrong_type: amount is not money (at most 10 digits and 2 decimal places): 9999999999.999",
                "wrong_type: amount is not money (at most 10 digits and 2 decimal places): -9999999999.995",
                "null: null"),
                rows.stream().map(OrderDetailsParsingTest::rejection).toList());
        assertEquals(new BigDecimal("9999999999.99"), rows.get(rows.size() - 1).getAs(AMOUNT));
        assertEquals("O1\u0000?", rows.get(10).getAs(ORDER_ID)); // a lone surrogate has no UTF-8: Java's '?'

        assertEquals("W\u00efdg\u20ac\uD83D\uDE00", rows.get(16).getAs(PRODUCT));
    }

    private static String withDate(String orderDate) {
        return GOOD.replace("2024-05-01T12:00:00.000+02:00", orderDate);
    }

    private static String rejection(Row row) {
        return row.getAs(REJECTION_REASON) + ": " + row.getAs(REJECTION_ERROR);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Row> parse(String... values) {
        return parseBytes(Arrays.stream(values)
                .map(value -> value == null ? null : value.getBytes(StandardCharsets.UTF_8))
                .toArray(byte[][]::new));
    }

    /** Messages written to Kafka now, at offsets 0, 1, 2..., parsed; in offset order. */
    private static List<Row> parseBytes(byte[]... values) {
        List<Row> messages = new ArrayList<>();
        Timestamp now = Timestamp.from(Instant.now());
        for (int offset = 0; offset < values.length; offset++) {
            messages.add(RowFactory.create(values[offset], "order_details", 0, (long) offset, now));
        }
        return OrderDetailsParsing.parse(LocalSpark.session().createDataFrame(messages, KAFKA_ROW), MAX_FUTURE)
                .orderBy(element_at(split(col(SOURCE), "-"), -1).cast("int")) // by offset
                .collectAsList();
    }
}
