package dev.orders.consumer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.JsonFormat;
import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Parses order_details messages with the explicit schema. {@code from_json} alone would turn a bad
 * message into a row of nulls; here every message is either a typed order or a rejection with a reason.
 *
 * <p>A message is parsed once. Only a message that does not parse cleanly is parsed a second time, as a
 * map of texts, to tell which reason applies: that second parse costs as much as the first, and almost
 * every message never needs it.
 */
public final class OrderDetailsParsing {
    private static final String CORRUPT_RECORD = "_corrupt_record";
    private static final String PARSED = "_parsed";
    private static final String FIELDS = "_fields";
    /** Fields without which an order line cannot be deduplicated or totalled. */
    static final List<String> REQUIRED = List.of(ORDER_ID, ORDER_LINE_ID, ORDER_DATE, CUSTOMER_ID, AMOUNT, QUANTITY);
    /**
     * The amount is read wider than money, then must fit money exactly: Spark's JSON reader would round
     * 19.999 into a DECIMAL(12,2) without a word. (Read as text, a JSON number goes through a double:
     * 12345678.91 would come back as 1.234567891E7.)
     */
    private static final DecimalType AMOUNT_AS_READ = DataTypes.createDecimalType(38, 20);
    private static final StructType MESSAGE = readAmountAs(AMOUNT_AS_READ, Schemas.ORDER_DETAILS)
            .add(CORRUPT_RECORD, DataTypes.StringType);

    /**
     * @param kafkaMessages rows of Spark's Kafka source
     * @return the {@link Schemas#ORDER_DETAILS} columns, {@code rejection_reason} and {@code rejection_error}
     *     (null for a good message), {@code raw} (the value as text) and {@code source} (topic-partition-offset)
     */
    public static Dataset<Row> parse(Dataset<Row> kafkaMessages) {
        Map<String, String> options = new HashMap<>(JsonFormat.OPTIONS);
        options.put("mode", "PERMISSIVE");
        options.put("columnNameOfCorruptRecord", CORRUPT_RECORD);

        Dataset<Row> parsed = kafkaMessages.select(
                        col("value").cast("string").as(RAW),
                        concat_ws("-", col("topic"), col("partition"), col("offset")).as(SOURCE))
                .withColumn(PARSED, from_json(col(RAW), MESSAGE, options));

        Column wellFormed = typed(CORRUPT_RECORD).isNull()
                .and(allOf(REQUIRED.stream().map(name -> typed(name).isNotNull())));
        // Every field as text, for the messages that are not well formed only.
        Dataset<Row> withFields = parsed.withColumn(FIELDS, when(wellFormed, lit(null))
                .otherwise(from_json(col(RAW), DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType))));
        Rejection rejection = Rejection.of(col(FIELDS));

        Column[] columns = Schemas.names(Schemas.ORDER_DETAILS).stream()
                .map(name -> typed(name).as(name))
                .toArray(Column[]::new);
        return withFields.select(append(columns,
                when(wellFormed, lit(null)).otherwise(rejection.reason()).as(REJECTION_REASON),
                when(wellFormed, lit(null)).otherwise(rejection.error()).as(REJECTION_ERROR),
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
            Column missing = concat_ws(", ", REQUIRED.stream()
                    .map(name -> when(not(present.apply(name)), lit(name))).toArray(Column[]::new));

            Column reason = when(notAnObject, lit(RejectionReason.INVALID_JSON.code()))
                    .when(amountNotMoney.or(wrongTypes.notEqual("")), lit(RejectionReason.WRONG_TYPE.code()))
                    .when(missing.notEqual(""), lit(RejectionReason.MISSING_FIELD.code()))
                    .otherwise(lit(RejectionReason.INVALID_JSON.code()));
            Column error = when(notAnObject, lit("not a JSON object"))
                    .when(amountNotMoney, concat(lit("amount is not money (at most 10 digits and 2 decimal places): "),
                            coalesce(amountAsRead(), text.apply(AMOUNT))))
                    .when(wrongTypes.notEqual(""), concat(lit("wrong type: "), wrongTypes))
                    .when(missing.notEqual(""), concat(lit("missing or null: "), missing))
                    .otherwise(lit("does not parse as order_details"));
            return new Rejection(reason, error);
        }
    }

    /** A field of the typed parse; the amount as money, null when it does not fit money exactly. */
    private static Column typed(String name) {
        Column field = col(PARSED).getField(name);
        return name.equals(AMOUNT) ? when(field.equalTo(field.cast(Schemas.MONEY)), field.cast(Schemas.MONEY)) : field;
    }

    /** The amount as the message has it, without the zeros the wide read adds: 19.999, not 19.99900000000000000000. */
    private static Column amountAsRead() {
        return regexp_replace(regexp_replace(col(PARSED).getField(AMOUNT).cast("string"), "0+$", ""), "\\.$", "");
    }

    private static Column allOf(java.util.stream.Stream<Column> conditions) {
        return conditions.reduce(Column::and).orElse(lit(true));
    }

    private static StructType readAmountAs(DecimalType amountType, StructType schema) {
        StructType message = new StructType();
        for (StructField field : schema.fields()) {
            message = message.add(field.name(), field.name().equals(AMOUNT) ? amountType : field.dataType());
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
