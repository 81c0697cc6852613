package dev.orders.consumer;

import static dev.orders.consumer.OrderDetailsParsingTest.GOOD;
import static dev.orders.consumer.OrderDetailsParsingTest.bytes;
import static org.apache.spark.sql.functions.col;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.orders.common.LocalSpark;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class PlainOrderJsonTest {
    private static final PlainOrderJson READER = new PlainOrderJson(OrderDetailsParsing.FIELDS_AS_READ);

    /** Messages in the plain form: the producer's, and the edges of each rule. */
    private static final List<String> PLAIN = List.of(
            GOOD,
            "{}",
            "{\"quantity\":3,\"order_id\":\"O1\"}",
            GOOD.replace("\"age\":30", "\"age\":null").replace("\"name\":\"Alice\"", "\"name\":null"),
            GOOD.replace("19.99", "0"),
            GOOD.replace("19.99", "-0.00"),
            GOOD.replace("19.99", "9999999999.99"),
            GOOD.replace("19.99", "-1234567890.12345678901234567890"),
            GOOD.replace("\"quantity\":3", "\"quantity\":-0"),
            GOOD.replace("\"quantity\":3", "\"quantity\":999999999"),
            GOOD.replace("\"order_line_id\":1", "\"order_line_id\":-123456789"),
            GOOD.replace("Alice", "Chlo\u00e9 M\u00fcller \u20ac\uD83D\uDE00 {},:[]"),
            GOOD.replace("Alice", ""),
            GOOD.replace("2024-05-01T12:00:00.000+02:00", "not a date"));

    /** Messages Spark's reader has to read: whatever the plain form does not say for certain. */
    private static final List<String> NOT_PLAIN = List.of(
            "",
            "{",
            "[]",
            "null",
            " " + GOOD,
            GOOD.replace(",", ", "),
            GOOD.replace(":", " :"),
            GOOD + GOOD,
            GOOD + " ",
            GOOD.replace("}", ",}"),
            GOOD.replace("{", "{,"),
            GOOD.replace("\"age\":30", "\"age\":30,\"age\":31"),
            GOOD.replace("\"age\":30", "\"Age\":30"),
            GOOD.replace("\"age\":30", "\"_corrupt_record\":\"x\""),
            GOOD.replace("\"age\":30", "\"age\":\"30\""),
            GOOD.replace("\"age\":30", "\"age\":30.0"),
            GOOD.replace("\"age\":30", "\"age\":3e1"),
            GOOD.replace("\"age\":30", "\"age\":030"),
            GOOD.replace("\"age\":30", "\"age\":1234567890"),
            GOOD.replace("\"age\":30", "\"age\":-"),
            GOOD.replace("\"age\":30", "\"age\":true"),
            GOOD.replace("\"age\":30", "\"age\":{\"a\":1}"),
            GOOD.replace("\"age\":30", "\"age\":"),
            GOOD.replace("\"age\":30", "\"age\":nul"),
            GOOD.replace("\"name\":\"Alice\"", "\"name\":42"),
            GOOD.replace("\"name\":\"Alice\"", "\"name\":[\"a\",\"b\"]"),
            GOOD.replace("Alice", "A\\\"lice"),
            GOOD.replace("Alice", "A\\u0041lice"),
            GOOD.replace("Alice", "A\tlice"),
            GOOD.replace("\"name\"", "\"n\\u0061me\""),
            GOOD.replace("19.99", "19.999999999999999999999"),
            GOOD.replace("19.99", "12345678901.00"),
            GOOD.replace("19.99", "1.5e2"),
            GOOD.replace("19.99", "19."),
            GOOD.replace("19.99", ".99"),
            GOOD.replace("19.99", "019.99"),
            GOOD.replace("19.99", "\"19.99\""),
            GOOD.replace("19.99", "NaN"));

    @Test
    void readsTheProducersMessageIntoTheSchemasOrder() {
        Object[] values = READER.read(bytes(GOOD));

        assertEquals(Arrays.asList("C1", "Alice", 30, "Paris", "O1", 1, "Widget",
                new BigDecimal("19.99000000000000000000"), "2024-05-01T12:00:00.000+02:00", 3), Arrays.asList(values));
    }

    @Test
    void leavesEveryMessageNotInThePlainFormToSparksReader() {
        List<String> read = NOT_PLAIN.stream().filter(message -> READER.read(bytes(message)) != null).toList();

        assertEquals(List.of(), read);
        assertNull(READER.read(null));
    }

    @Test
    void leavesTextThatIsNotWellFormedUtf8ToSparksReader() {
        byte[][] malformed = {
            {(byte) 0xC3, (byte) 0x28}, // a lead byte without its continuation
            {(byte) 0xC0, (byte) 0xAF}, // an overlong '/'
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a surrogate
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // beyond U+10FFFF
            {(byte) 0xE2, (byte) 0x82}, // cut short by the closing quote
            {(byte) 0x80}, // a lone continuation byte
        };
        List<Integer> read = new ArrayList<>();
        for (int i = 0; i < malformed.length; i++) {
            if (READER.read(withName(malformed[i])) != null) {
                read.add(i);
            }
        }

        assertEquals(List.of(), read);
        assertEquals("\u20ac", READER.read(withName(new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xAC}))[1]);
    }

    /** The one source of truth stays Spark's reader: on every message in the plain form both give the same row. */
    @Test
    void readsEveryPlainMessageExactlyAsSparksReaderDoes() {
        StructType messages = new StructType().add("value", DataTypes.BinaryType);
        List<Row> rows = PLAIN.stream().map(message -> RowFactory.create((Object) bytes(message))).toList();

        List<Row> both = LocalSpark.session().createDataFrame(rows, messages)
                .select(OrderDetailsParsing.plainJson(col("value")).as("plain"),
                        OrderDetailsParsing.sparkJson(col("value").cast("string")).as("spark"))
                .collectAsList();

        for (int i = 0; i < PLAIN.size(); i++) {
            Row row = both.get(i);
            assertEquals(row.get(1), row.get(0), PLAIN.get(i));
            assertNull(((Row) row.get(0)).getAs("_corrupt_record"), PLAIN.get(i));
        }
    }

    private static byte[] withName(byte[] name) {
        byte[] before = bytes(GOOD.substring(0, GOOD.indexOf("Alice")));
        byte[] after = bytes(GOOD.substring(GOOD.indexOf("Alice") + "Alice".length()));
        byte[] message = Arrays.copyOf(before, before.length + name.length + after.length);
        System.arraycopy(name, 0, message, before.length, name.length);
        System.arraycopy(after, 0, message, before.length + name.length, after.length);
        return message;
    }
}
