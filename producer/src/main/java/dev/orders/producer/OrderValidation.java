package dev.orders.producer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.EventTimes;
import dev.orders.common.PerBatchValues;
import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import dev.orders.common.cli.Durations;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Turns order lines read as text into typed order lines, or into rejections with a reason. Nothing
 * becomes a silent null: a value that does not parse rejects its line.
 */
public final class OrderValidation {
    private static final String WHOLE_NUMBER = "^[0-9]{1,9}$";
    private static final String MONEY = "^[0-9]{1,10}(\\.[0-9]{1,2})?$";
    private static final String PARSED_DATE = "_order_date";
    private static final String PROBLEM = "_problem";
    private static final StructType PROBLEM_TYPE = new StructType()
            .add(REJECTION_REASON, DataTypes.StringType)
            .add(REJECTION_ERROR, DataTypes.StringType);

    /**
     * @param orderLines rows of {@link OrderFiles#readStream}; the lines of a file with a problem as a whole
     *     ({@code bad_header}, {@code file_changed_while_read}) are rejected with it, whatever they hold
     * @param timeZone the zone of an order_date written without one
     * @param maxFuture how far ahead of the batch's clock an order_date may be ({@code implausible_date} beyond)
     * @param batchClock the batch's {@link dev.orders.common.BatchClock}
     * @return the typed order columns of {@link Schemas#ORDER}, plus {@code rejection_reason} and
     *     {@code rejection_error} (null for a good line), {@code raw} and {@code source}
     */
    public static Dataset<Row> validate(Dataset<Row> orderLines, String timeZone, Duration maxFuture,
            Instant batchClock) {
        Column orderId = trim(col(ORDER_ID));
        Column customerId = trim(col(CUSTOMER_ID));
        Column orderDate = col(PARSED_DATE);

        List<Problem> problems = List.of(
                new Problem(col(OrderFiles.FILE_PROBLEM).isNotNull(), col(OrderFiles.FILE_PROBLEM),
                        col(OrderFiles.FILE_PROBLEM_ERROR)),
                new Problem(col(OrderFiles.CORRUPT_RECORD).isNotNull(), RejectionReason.MALFORMED_ORDER,
                        lit("expected " + Schemas.ORDER_FILE_COLUMNS.size() + " comma-separated columns")),
                new Problem(isBlank(orderId), RejectionReason.MALFORMED_ORDER, lit("order_id is empty")),
                new Problem(not(matches(ORDER_LINE_ID, WHOLE_NUMBER)), RejectionReason.MALFORMED_ORDER,
                        quoted("order_line_id is not a whole number", ORDER_LINE_ID)),
                new Problem(isBlank(customerId), RejectionReason.MALFORMED_ORDER, lit("customer_id is empty")),
                new Problem(not(matches(AMOUNT, MONEY)), RejectionReason.MALFORMED_ORDER,
                        quoted("amount is not a non-negative decimal with at most 2 places", AMOUNT)),
                new Problem(orderDate.isNull(), RejectionReason.MALFORMED_ORDER,
                        quoted("order_date is not " + EventTimes.FORMATS, ORDER_DATE)),
                new Problem(not(matches(QUANTITY, WHOLE_NUMBER)), RejectionReason.MALFORMED_ORDER,
                        quoted("quantity is not a non-negative whole number", QUANTITY)),
                new Problem(EventTimes.isTooFarAhead(orderDate, PerBatchValues.timestamp(batchClock), maxFuture),
                        RejectionReason.IMPLAUSIBLE_DATE,
                        quoted("order_date is more than " + Durations.describe(maxFuture) + " ahead of the clock",
                                ORDER_DATE)));

        // One chain of checks, each run at most once per line: Spark does not share an expression between
        // the branches of a CASE WHEN, so a chain for the reason and another for the message ran every check
        // of a good line twice.
        Column firstProblem = lit(null).cast(PROBLEM_TYPE);
        for (int i = problems.size() - 1; i >= 0; i--) { // the first problem of a line is the one reported
            Problem problem = problems.get(i);
            firstProblem = when(problem.when(), struct(problem.reason().as(REJECTION_REASON),
                    problem.message().as(REJECTION_ERROR))).otherwise(firstProblem);
        }

        Column[] fileColumns = Schemas.ORDER_FILE_COLUMNS.stream()
                .map(name -> coalesce(col(name), lit("")))
                .toArray(Column[]::new);
        // The date is parsed once, in a column of its own: the checks and the output read it from there.
        return orderLines
                .withColumn(PARSED_DATE, EventTimes.parse(trim(col(ORDER_DATE)), timeZone))
                .withColumn(PROBLEM, firstProblem)
                .select(
                        orderId.as(ORDER_ID),
                        trim(col(ORDER_LINE_ID)).cast(Schemas.typeOf(Schemas.ORDER, ORDER_LINE_ID)).as(ORDER_LINE_ID),
                        customerId.as(CUSTOMER_ID),
                        col(PRODUCT),
                        trim(col(AMOUNT)).cast(Schemas.MONEY).as(AMOUNT),
                        orderDate.as(ORDER_DATE),
                        trim(col(QUANTITY)).cast(Schemas.typeOf(Schemas.ORDER, QUANTITY)).as(QUANTITY),
                        col(PROBLEM).getField(REJECTION_REASON).as(REJECTION_REASON),
                        col(PROBLEM).getField(REJECTION_ERROR).as(REJECTION_ERROR),
                        coalesce(col(OrderFiles.CORRUPT_RECORD), concat_ws(",", fileColumns)).as(RAW),
                        col(SOURCE));
    }

    private record Problem(Column when, Column reason, Column message) {
        Problem(Column when, RejectionReason reason, Column message) {
            this(when, lit(reason.code()), message);
        }
    }

    private static Column isBlank(Column text) {
        return text.isNull().or(text.equalTo(""));
    }

    /** True only when the trimmed value is present and matches; null-safe. */
    private static Column matches(String column, String regex) {
        return coalesce(trim(col(column)).rlike(regex), lit(false));
    }

    private static Column quoted(String message, String column) {
        return concat(lit(message + ": '"), coalesce(col(column), lit("")), lit("'"));
    }

    private OrderValidation() {
    }
}
