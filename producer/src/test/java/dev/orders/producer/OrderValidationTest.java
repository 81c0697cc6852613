package dev.orders.producer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.lit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.orders.common.EventTimes;
import dev.orders.common.LocalSpark;
import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class OrderValidationTest {
    private static final StructType READ_SCHEMA = Schemas.ORDER_FILE
            .add(OrderFiles.CORRUPT_RECORD, DataTypes.StringType)
            .add(SOURCE, DataTypes.StringType);
    private static final Instant BATCH_CLOCK = Instant.parse("2026-11-27T12:00:00Z");

    @Test
    void aGoodLineIsTypedExactly() {
        Row row = validate(OrderFileChecks.Verdict.good(), line("O1", "2", "C1", "Widget", "19.99", "2024-05-01 10:00:00", "3")).get(0);

        assertEquals("O1", row.getAs(ORDER_ID));
        assertEquals(2, (Integer) row.getAs(ORDER_LINE_ID));
        assertEquals("C1", row.getAs(CUSTOMER_ID));
        assertEquals(new BigDecimal("19.99"), row.getAs(AMOUNT));
        assertEquals(Timestamp.from(Instant.parse("2024-05-01T10:00:00Z")), row.getAs(ORDER_DATE));
        assertEquals(3, (Integer) row.getAs(QUANTITY));
        assertNull(row.getAs(REJECTION_REASON));
        assertEquals("O1,2,C1,Widget,19.99,2024-05-01 10:00:00,3", row.getAs(RAW));
        assertEquals("file:/in/order_1.csv", row.getAs(SOURCE));
    }

    @Test
    void anOrderDateIsImplausibleAgainstTheBatchsClockNotTheTimeItIsChecked() {
        Row line = line("O1", "1", "C1", "p", "1.00", "2024-05-03 00:00:01", "1");

        // Long past by now: what decides is the clock the batch was planned at, the same on every run of it.
        assertEquals("implausible_date", validate(OrderFileChecks.Verdict.good(),
                Instant.parse("2024-05-02T00:00:00Z"), line).get(0).getAs(REJECTION_REASON));
        assertNull(validate(OrderFileChecks.Verdict.good(), Instant.parse("2024-05-02T00:00:01Z"), line)
                .get(0).getAs(REJECTION_REASON));
    }

    @Test
    void everyBadValueIsRejectedWithItsOwnReason() {
        List<Row> rows = validate(OrderFileChecks.Verdict.good(),
                line("", "1", "C1", "p", "1.00", "2024-05-01 10:00:00", "1"),
                line("O2", "x", "C1", "p", "1.00", "2024-05-01 10:00:00", "1"),
                line("O3", "1", " ", "p", "1.00", "2024-05-01 10:00:00", "1"),
                line("O4", "1", "C1", "p", "1.999", "2024-05-01 10:00:00", "1"),
                line("O5", "1", "C1", "p", "ten", "2024-05-01 10:00:00", "1"),
                line("O6", "1", "C1", "p", "1.00", "yesterday", "1"),
                line("O11", "1", "C1", "p", "1.00", "20244-05-01 08:00:04", "1"),
                line("O12", "1", "C1", "p", "1.00", "2024-02-30 08:00:00", "1"),
                line("O13", "1", "C1", "p", "1.00", "2024-05-01", "1"),
                line("O14", "1", "C1", "p", "1.00", "2024", "1"),
                line("O15", "1", "C1", "p", "1.00", "9999-01-01 00:00:00", "1"),
                line("O7", "1", "C1", "p", "1.00", "2024-05-01 10:00:00", "-2"),
                line("O8", "1", "C1", "p", "1.00", "2024-05-01 10:00:00", "two"),
                line("O9", "1", "C1", "p", "-1.00", "2024-05-01 10:00:00", "1"),
                corrupt("O10,1,C1,p,1.00"));

        assertEquals(List.of(
                "null malformed_order order_id is empty",
                "O2 malformed_order order_line_id is not a whole number: 'x'",
                "O3 malformed_order customer_id is empty",
                "O4 malformed_order amount is not a non-negative decimal with at most 2 places: '1.999'",
                "O5 malformed_order amount is not a non-negative decimal with at most 2 places: 'ten'",
                "O6 malformed_order order_date is not " + EventTimes.FORMATS + ": 'yesterday'",
                "O11 malformed_order order_date is not " + EventTimes.FORMATS + ": '20244-05-01 08:00:04'",
                "O12 malformed_order order_date is not " + EventTimes.FORMATS + ": '2024-02-30 08:00:00'",
                "O13 malformed_order order_date is not " + EventTimes.FORMATS + ": '2024-05-01'",
                "O14 malformed_order order_date is not " + EventTimes.FORMATS + ": '2024'",
                "O15 implausible_date order_date is more than 1 day ahead of the clock: '9999-01-01 00:00:00'",
                "O7 malformed_order quantity is not a non-negative whole number: '-2'",
                "O8 malformed_order quantity is not a non-negative whole number: 'two'",
                "O9 malformed_order amount is not a non-negative decimal with at most 2 places: '-1.00'",
                "O10 malformed_order expected 7 comma-separated columns"),
                rows.stream().map(r -> (r.getAs(ORDER_ID) == null || r.<String>getAs(ORDER_ID).isEmpty()
                        ? "null" : r.getAs(ORDER_ID)) + " " + r.getAs(REJECTION_REASON) + " "
                        + r.getAs(REJECTION_ERROR)).toList());
        assertEquals("O10,1,C1,p,1.00", rows.get(14).getAs(RAW));
    }

    @Test
    void linesOfAFileWithAWrongHeaderAreRejectedWhateverTheyHold() {
        List<Row> rows = validate(new OrderFileChecks.Verdict(false, RejectionReason.BAD_HEADER,
                        OrderFileChecks.BAD_HEADER_ERROR),
                line("O1", "1", "C1", "p", "1.00", "2024-05-01 10:00:00", "1"));

        assertEquals("bad_header", rows.get(0).getAs(REJECTION_REASON));
        assertEquals("the file does not start with the header " + Schemas.ORDER_FILE_HEADER,
                rows.get(0).getAs(REJECTION_ERROR));
    }

    @Test
    void everyLineOfAFileThatChangedWhileItWasReadIsRejectedWithThatProblemFirst() {
        List<Row> rows = validate(new OrderFileChecks.Verdict(true, RejectionReason.FILE_CHANGED_WHILE_READ,
                        OrderFileChecks.CUT_SHORT_ERROR),
                line("E1", "1", "C1", "p", "1.00", "2024-05-01 10:00:00", "3"),
                line("E2", "1", "C1", "p", "1.00", "2024-05-01 10:00:00", "1"),
                line("E3", "1", "C1", "p", "ten", "2024-05-01 10:00:00", "1"));

        assertEquals(List.of(
                "E1 file_changed_while_read " + OrderFileChecks.CUT_SHORT_ERROR,
                "E2 file_changed_while_read " + OrderFileChecks.CUT_SHORT_ERROR,
                "E3 file_changed_while_read " + OrderFileChecks.CUT_SHORT_ERROR),
                rows.stream().map(r -> r.getAs(ORDER_ID) + " " + r.getAs(REJECTION_REASON) + " "
                        + r.getAs(REJECTION_ERROR)).toList());
        assertEquals("E2,1,C1,p,1.00,2024-05-01 10:00:00,1", rows.get(1).getAs(RAW));
    }

    @Test
    void theOrderHeaderIsRecognisedWithSpacesQuotesOrAByteOrderMark() {
        assertEquals(true, OrderFiles.isOrderHeader(Schemas.ORDER_FILE_HEADER));
        assertEquals(true, OrderFiles.isOrderHeader(
                "\uFEFForder_id, order_line_id, customer_id, product, amount, order_date, \"quantity\""));
        assertEquals(false, OrderFiles.isOrderHeader("order_id,order_line_id,customer_id,product,amount,order_date"));
        assertEquals(false, OrderFiles.isOrderHeader("{\"order_id\": 1}"));
        assertEquals(false, OrderFiles.isOrderHeader(null));
    }

    private static List<Row> validate(OrderFileChecks.Verdict fileVerdict, Row... rows) {
        return validate(fileVerdict, BATCH_CLOCK, rows);
    }

    private static List<Row> validate(OrderFileChecks.Verdict fileVerdict, Instant batchClock, Row... rows) {
        Dataset<Row> lines = LocalSpark.session().createDataFrame(Arrays.asList(rows), READ_SCHEMA)
                .withColumn(OrderFiles.IN_FILE_WITH_ORDER_HEADER, lit(fileVerdict.startsWithOrderHeader()))
                .withColumn(OrderFiles.FILE_PROBLEM,
                        lit(fileVerdict.problem() == null ? null : fileVerdict.problem().code()).cast("string"))
                .withColumn(OrderFiles.FILE_PROBLEM_ERROR, lit(fileVerdict.error()).cast("string"));
        return new ArrayList<>(OrderValidation.validate(lines, "UTC", Duration.ofDays(1), batchClock).collectAsList());
    }

    private static Row line(String... values) {
        Object[] all = Arrays.copyOf(values, values.length + 2, Object[].class);
        all[values.length + 1] = "file:/in/order_1.csv";
        return RowFactory.create(all);
    }

    private static Row corrupt(String rawLine) {
        String[] fields = rawLine.split(",");
        Object[] all = new Object[9];
        System.arraycopy(fields, 0, all, 0, fields.length);
        all[7] = rawLine;
        all[8] = "file:/in/order_1.csv";
        return RowFactory.create(all);
    }
}
