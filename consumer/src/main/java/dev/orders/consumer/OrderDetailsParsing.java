package dev.orders.consumer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.JsonFormat;
import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Parses order_details messages with the explicit schema. {@code from_json} alone would turn a bad
 * message into a row of nulls; here every message is either a typed order or a rejection with a reason.
 */
public final class OrderDetailsParsing {
    private static final String CORRUPT_RECORD = "_corrupt_record";
    private static final String PARSED = "_parsed";
    private static final String FIELDS = "_fields";
    /** Fields without which an order line cannot be deduplicated or totalled. */
    static final List<String> REQUIRED = List.of(ORDER_ID, ORDER_LINE_ID, ORDER_DATE, CUSTOMER_ID, AMOUNT, QUANTITY);
    private static final String MONEY_TEXT = "^-?[0-9]+(\\.[0-9]{1,2})?$";

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
                .withColumn(PARSED, from_json(col(RAW),
                        Schemas.ORDER_DETAILS.add(CORRUPT_RECORD, DataTypes.StringType), options))
                // Every field as text: tells a JSON object from anything else, and a wrong type from a missing field.
                .withColumn(FIELDS, from_json(col(RAW),
                        DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType)));

        Column notAnObject = col(FIELDS).isNull();
        Column wrongTypes = concat_ws(", ", fieldsWhere(name -> present(name).and(typed(name).isNull())));
        Column amountTooPrecise = present(AMOUNT).and(not(text(AMOUNT).rlike(MONEY_TEXT)));
        Column missing = concat_ws(", ", REQUIRED.stream()
                .map(name -> when(not(present(name)), lit(name))).toArray(Column[]::new));

        Column reason = when(notAnObject, lit(RejectionReason.INVALID_JSON.code()))
                .when(amountTooPrecise.or(wrongTypes.notEqual("")), lit(RejectionReason.WRONG_TYPE.code()))
                .when(missing.notEqual(""), lit(RejectionReason.MISSING_FIELD.code()));
        Column error = when(notAnObject, lit("not a JSON object"))
                .when(amountTooPrecise, concat(lit("amount is not a decimal with at most 2 places: "), text(AMOUNT)))
                .when(wrongTypes.notEqual(""), concat(lit("wrong type: "), wrongTypes))
                .when(missing.notEqual(""), concat(lit("missing or null: "), missing));

        Column[] columns = Schemas.names(Schemas.ORDER_DETAILS).stream()
                .map(name -> typed(name).as(name)).toArray(Column[]::new);
        return parsed.select(append(columns, reason.as(REJECTION_REASON), error.as(REJECTION_ERROR), col(RAW),
                col(SOURCE)));
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

    private static Column typed(String name) {
        return col(PARSED).getField(name);
    }

    private static Column text(String name) {
        return col(FIELDS).getItem(name);
    }

    private static Column present(String name) {
        return text(name).isNotNull();
    }

    private static Column[] fieldsWhere(java.util.function.Function<String, Column> condition) {
        return java.util.Arrays.stream(Schemas.ORDER_DETAILS.fields()).map(StructField::name)
                .map(name -> when(condition.apply(name), lit(name))).toArray(Column[]::new);
    }

    private static Column[] append(Column[] first, Column... more) {
        Column[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private OrderDetailsParsing() {
    }
}
