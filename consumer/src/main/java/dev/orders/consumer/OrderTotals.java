package dev.orders.consumer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.col;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;

/** The price of an order line. */
public final class OrderTotals {
    /** quantity (up to 10 digits) times amount (DECIMAL(12,2)) always fits, exactly. */
    public static final DecimalType TOTAL_AMOUNT_TYPE = DataTypes.createDecimalType(22, 2);

    /** Adds {@code total_amount = quantity * amount}, in exact decimal arithmetic. */
    public static Dataset<Row> withTotalAmount(Dataset<Row> orders) {
        return orders.withColumn(TOTAL_AMOUNT, col(QUANTITY).multiply(col(AMOUNT)).cast(TOTAL_AMOUNT_TYPE));
    }

    private OrderTotals() {
    }
}
