package dev.orders.producer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.DeadLetters;
import dev.orders.common.JsonFormat;
import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Joins validated order lines with their customers and turns every line into exactly one Kafka record. */
public final class OrderEnrichment {
    /** {@code published}, or the reason the line was rejected. */
    public static final String OUTCOME = "outcome";
    public static final String PUBLISHED = "published";
    private static final String CUSTOMER_KNOWN = "_customer_known";

    /**
     * Left-joins every line of {@link OrderValidation#validate} with the customers (broadcast: the
     * customer table is small and each batch is one file), so a line whose customer is missing is kept
     * and rejected as {@code unknown_customer} rather than dropped by an inner join.
     */
    public static Dataset<Row> enrich(Dataset<Row> validatedOrders, Dataset<Row> customers) {
        Dataset<Row> known = customers.withColumn(CUSTOMER_KNOWN, lit(true));
        Dataset<Row> joined = validatedOrders.join(broadcast(known),
                new String[] {CUSTOMER_ID}, "left_outer");
        Column unknownCustomer = col(REJECTION_REASON).isNull().and(col(CUSTOMER_KNOWN).isNull());
        return joined
                .withColumn(REJECTION_ERROR, when(unknownCustomer,
                        concat(lit("customer_id '"), col(CUSTOMER_ID), lit("' is not in the customer file")))
                        .otherwise(col(REJECTION_ERROR)))
                .withColumn(REJECTION_REASON, when(unknownCustomer, lit(RejectionReason.UNKNOWN_CUSTOMER.code()))
                        .otherwise(col(REJECTION_REASON)))
                .withColumn(OUTCOME, coalesce(col(REJECTION_REASON), lit(PUBLISHED)))
                .drop(CUSTOMER_KNOWN);
    }

    /**
     * Kafka records ({@code topic, key, value}): published lines to {@code ordersTopic} keyed by
     * customer_id with the order_details JSON; rejected ones to the dead-letter topic, keyed by their
     * source. With no dead-letter topic, a rejected record's topic is null: count it, then filter it out.
     */
    public static Dataset<Row> toKafkaRecords(Dataset<Row> enriched, String ordersTopic,
            Optional<String> deadLetterTopic, long batchId) {
        Column published = col(OUTCOME).equalTo(PUBLISHED);
        Column orderDetails = struct(Schemas.names(Schemas.ORDER_DETAILS).stream()
                .map(name -> col(name)).toArray(Column[]::new));
        Column topic = when(published, lit(ordersTopic))
                .otherwise(deadLetterTopic.<Column>map(org.apache.spark.sql.functions::lit).orElse(lit(null).cast("string")));
        return enriched
                .select(
                        topic.as("topic"),
                        when(published, col(CUSTOMER_ID)).otherwise(DeadLetters.key()).as("key"),
                        when(published, to_json(orderDetails, JsonFormat.OPTIONS))
                                .otherwise(DeadLetters.value(DeadLetters.Stage.PRODUCER, batchId)).as("value"),
                        col(OUTCOME));
    }

    private OrderEnrichment() {
    }
}
