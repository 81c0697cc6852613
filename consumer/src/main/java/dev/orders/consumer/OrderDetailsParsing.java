package dev.orders.consumer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.EventTimes;
import dev.orders.common.JsonFormat;
import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import dev.orders.common.cli.Durations;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parses order_details messages with the explicit schema. {@code from_json} alone would turn a bad
 * message into a row of nulls; here every message is either a typed order or a rejection with a reason,
 * and no message, whatever its bytes, can make the query fail.
 *
 * <p>A message is parsed once: in the plain form the producer writes by {@link PlainOrderJson}, in any other
 * form by Spark's JSON reader. Only a message that does not parse cleanly is parsed a second time, as a
 * map of texts, to tell which reason applies: that second parse costs as much as the first, and almost
 * every message never needs it.
 */
public final class OrderDetailsParsing {
    private static final String CORRUPT_RECORD = "_corrupt_record";
    private static final String PARSED = "_parsed";
    private static final String EVENT_TIME = "_event_time";
    private static final String FIELDS = "_fields";
    private static final String AMOUNT_ROUNDED = "_amount_rounded";
    private static final String MONEY_AMOUNT = "_money_amount";
    /** Fields without which an order line cannot be deduplicated or totalled. */
    static final List<String> REQUIRED = List.of(ORDER_ID, ORDER_LINE_ID, ORDER_DATE, CUSTOMER_ID, AMOUNT, QUANTITY);
    /**
     * The amount is read wider than money, then must fit money exactly: Spark's JSON reader would round
     * 19.999 into a DECIMAL(12,2) without a word. (Read as text, a JSON number goes through a double:
     * 12345678.91 would come back as 1.234567891E7.)
     */
    private static final DecimalType AMOUNT_AS_READ = DataTypes.createDecimalType(38, 20);
    private static final BigDecimal MAX_MONEY = new BigDecimal("9999999999.99");
    /**
     * order_date is read as text and parsed by {@link EventTimes}: Spark's JSON reader throws on a date such
     * as 2024-02-30 (SparkUpgradeException, not a corrupt record), which would fail the query on every start.
     */
    static final StructType FIELDS_AS_READ = messageSchema();
    private static final StructType MESSAGE = FIELDS_AS_READ.add(CORRUPT_RECORD, DataTypes.StringType);
    private static final String VALUE = "_value";

    /**
     * @param kafkaMessages rows of Spark's Kafka source ({@code value}, {@code topic}, {@code partition},
     *     {@code offset}, {@code timestamp})
     * @param maxFuture how far ahead of the time it was written to Kafka an order_date may be
     *     ({@code implausible_date} beyond)
     * @return the {@link Schemas#ORDER_DETAILS} columns, {@code rejection_reason} and {@code rejection_error}
     *     (null for a good message), {@code raw} (the value as text) and {@code source} (topic-partition-offset)
     */
    public static Dataset<Row> parse(Dataset<Row> kafkaMessages, Duration maxFuture) {
        Dataset<Row> parsed = kafkaMessages.select(
                        col("value").as(VALUE),
                        col("value").cast("string").as(RAW),
                        concat_ws("-", col("topic"), col("partition"), col("offset")).as(SOURCE),
                        col("timestamp"))
                .withColumn(PARSED, coalesce(plainJson(col(VALUE)), sparkJson(col(RAW))))
                .withColumn(EVENT_TIME, EventTimes.parse(col(PARSED).getField(ORDER_DATE), null))
                // Each in a column of its own, computed once per message: arithmetic on a wide decimal is
                // a BigDecimal's, and every check below reads the amount.
                .withColumn(AMOUNT_ROUNDED, roundedToMoney(col(PARSED).getField(AMOUNT)))
                .withColumn(MONEY_AMOUNT, when(col(AMOUNT_ROUNDED).equalTo(col(PARSED).getField(AMOUNT)),
                        col(AMOUNT_ROUNDED)));

        Column parsesCleanly = typed(CORRUPT_RECORD).isNull()
                .and(allOf(REQUIRED.stream().map(name -> typed(name).isNotNull())));
        Column invalidValues = invalidValues();
        Column tooFarAhead = tooFarAhead(typed(ORDER_DATE), col("timestamp"), maxFuture);
        // Every field as text, for the messages that do not parse cleanly only.
        Dataset<Row> withFields = parsed.withColumn(FIELDS, when(parsesCleanly, lit(null))
                .otherwise(from_json(col(RAW), DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))));
        Rejection notAnOrder = Rejection.of(col(FIELDS));

        Column reason = when(not(parsesCleanly), notAnOrder.reason())
                .when(invalidValues.notEqual(""), lit(RejectionReason.INVALID_VALUE.code()))
                .when(tooFarAhead, lit(RejectionReason.IMPLAUSIBLE_DATE.code()));
        Column error = when(not(parsesCleanly), notAnOrder.error())
                .when(invalidValues.notEqual(""), invalidValues)
                .when(tooFarAhead, concat(lit("order_date is more than " + Durations.describe(maxFuture)
                        + " ahead of the time the message was written: '"), col(PARSED).getField(ORDER_DATE), lit("'")));

        Column[] columns = Schemas.names(Schemas.ORDER_DETAILS).stream()
                .map(name -> typed(name).as(name))
                .toArray(Column[]::new);
        return withFields.select(append(columns, reason.as(REJECTION_REASON), error.as(REJECTION_ERROR),
                col(RAW), col(SOURCE)));
    }

    /** Only good messages, in the order_details schema. */
    public static Dataset<Row> accepted(Dataset<Row> parsed) {
        return parsed.filter(col(REJECTION_REASON).isNull())
                .select(Schemas.names(Schemas.ORDER_DETAILS).stream().map(name -> col(name)).toArray(Column[]::new));
    }

    /** Only rejected messages, with their reason. */
    public static Dataset<Row> rejected(Dataset<Row> parsed) {
        return parsed.filter(col(REJECTION_REASON).isNotNull());
    }

    /**
     * Why a message that did not parse cleanly is rejected. Every field read as text tells a JSON object
     * from anything else, and, against the typed parse, a wrong type from a missing field.
     */
    private record Rejection(Column reason, Column error) {
        static Rejection of(Column fields) {
            Function<String, Column> text = name -> fields.getItem(name);
            Function<String, Column> present = name -> text.apply(name).isNotNull();

            Column notAnObject = fields.isNull();
            Column wrongTypes = concat_ws(", ", Arrays.stream(Schemas.ORDER_DETAILS.fields()).map(StructField::name)
                    .map(name -> when(present.apply(name).and(typed(name).isNull()), lit(name)))
                    .toArray(Column[]::new));
            Column amountNotMoney = present.apply(AMOUNT).and(typed(AMOUNT).isNull());
            Column notADate = present.apply(ORDER_DATE).and(typed(ORDER_DATE).isNull());
            Column missing = concat_ws(", ", REQUIRED.stream()
                    .map(name -> when(not(present.apply(name)), lit(name))).toArray(Column[]::new));

            Column reason = when(notAnObject, lit(RejectionReason.INVALID_JSON.code()))
                    .when(amountNotMoney.or(wrongTypes.notEqual("")), lit(RejectionReason.WRONG_TYPE.code()))
                    .when(missing.notEqual(""), lit(RejectionReason.MISSING_FIELD.code()))
                    .otherwise(lit(RejectionReason.INVALID_JSON.code()));
            Column error = when(notAnObject, lit("not a JSON object"))
                    .when(amountNotMoney, concat(lit("amount is not money (at most 10 digits and 2 decimal places): "),
                            coalesce(amountAsRead(), text.apply(AMOUNT))))
                    .when(notADate, concat(lit("order_date is not " + EventTimes.FORMATS_WITH_ZONE + ": '"),
                            text.apply(ORDER_DATE), lit("'")))
                    .when(wrongTypes.notEqual(""), concat(lit("wrong type: "), wrongTypes))
                    .when(missing.notEqual(""), concat(lit("missing or null: "), missing))
                    .otherwise(lit("does not parse as order_details"));
            return new Rejection(reason, error);
        }
    }

    /**
     * What the producer would have rejected in a message of the right types: "" when nothing, else each
     * problem, e.g. {@code amount is negative: -1.00, order_id is empty}.
     */
    private static Column invalidValues() {
        return concat_ws(", ",
                negative(ORDER_LINE_ID), negative(AMOUNT), negative(QUANTITY),
                when(trim(typed(ORDER_ID)).equalTo(""), lit(ORDER_ID + " is empty")),
                when(trim(typed(CUSTOMER_ID)).equalTo(""), lit(CUSTOMER_ID + " is empty")));
    }

    private static Column negative(String name) {
        return when(typed(name).lt(0), concat(lit(name + " is negative: "), typed(name).cast("string")));
    }

    /**
     * Whether an order_date lies more than {@code maxFuture} ahead of the time the message was written to
     * Kafka. Not the batch's clock, as at the producer: the orders query and the dead-letter query run their
     * batches at different times, and a date near the limit could be rejected by the one and accepted by the
     * other, reaching neither the output nor the dead letters. The Kafka timestamp is the same for both. A
     * timestamp itself ahead of the clock (a producer that sets its own) counts as now.
     */
    private static Column tooFarAhead(Column orderDate, Column writtenToKafka, Duration maxFuture) {
        Column clock = least(coalesce(writtenToKafka, current_timestamp()), current_timestamp());
        return EventTimes.isTooFarAhead(orderDate, clock, maxFuture);
    }

    /**
     * The message as {@link PlainOrderJson} reads it (no corrupt record); null when it is not in the plain form,
     * which is every message {@link #sparkJson} has to read.
     */
    static Column plainJson(Column value) {
        PlainOrderJson reader = new PlainOrderJson(FIELDS_AS_READ);
        UserDefinedFunction read = udf((UDF1<byte[], Row>) bytes -> {
            Object[] values = reader.read(bytes);
            return values == null ? null : RowFactory.create(Arrays.copyOf(values, values.length + 1));
        }, MESSAGE);
        return read.withName("plain_order_json").apply(value);
    }

    /** The message as Spark's JSON reader reads it: a message that does not parse has its text in the corrupt record. */
    static Column sparkJson(Column raw) {
        Map<String, String> options = new HashMap<>(JsonFormat.OPTIONS);
        options.put("mode", "PERMISSIVE");
        options.put("columnNameOfCorruptRecord", CORRUPT_RECORD);
        return from_json(raw, MESSAGE, options);
    }

    /**
     * A field of the typed parse: the amount as money (null when it does not fit money exactly), the
     * order_date as a timestamp (null when it is not a date-time with its zone).
     */
    private static Column typed(String name) {
        return switch (name) {
            case AMOUNT -> col(MONEY_AMOUNT);
            case ORDER_DATE -> col(EVENT_TIME);
            default -> col(PARSED).getField(name);
        };
    }

    /**
     * The amount as read, rounded to money's two places; null beyond money's largest. Compared before the
     * cast, so that no cast can overflow (an error, not a null, under ANSI mode): no amount up to the
     * largest rounds past it.
     */
    private static Column roundedToMoney(Column amount) {
        return when(abs(amount).leq(lit(MAX_MONEY)), amount.cast(Schemas.MONEY));
    }

    /** The amount as the message has it, without the zeros the wide read adds: 19.999, not 19.99900000000000000000. */
    private static Column amountAsRead() {
        return regexp_replace(regexp_replace(col(PARSED).getField(AMOUNT).cast("string"), "0+$", ""), "\\.$", "");
    }

    private static Column allOf(java.util.stream.Stream<Column> conditions) {
        return conditions.reduce(Column::and).orElse(lit(true));
    }

    /** order_details as read from JSON: the amount wide, order_date as text. */
    private static StructType messageSchema() {
        StructType message = new StructType();
        for (StructField field : Schemas.ORDER_DETAILS.fields()) {
            message = message.add(field.name(), switch (field.name()) {
                case AMOUNT -> AMOUNT_AS_READ;
                case ORDER_DATE -> DataTypes.StringType;
                default -> field.dataType();
            });
        }
        return message;
    }

    private static Column[] append(Column[] first, Column... more) {
        Column[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private OrderDetailsParsing() {
    }
}
