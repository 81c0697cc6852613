package dev.orders.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import java.math.BigDecimal;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

class OrderTotalsTest {

    @Test
    void totalsAreExactDecimalsWhereDoublesWouldDrift() {
        StructType schema = new StructType().add("quantity", DataTypes.IntegerType).add("amount", Schemas.MONEY);
        List<Row> rows = OrderTotals.withTotalAmount(LocalSpark.session().createDataFrame(List.of(
                RowFactory.create(3, new BigDecimal("0.10")),
                RowFactory.create(2, new BigDecimal("1234567.89")),
                RowFactory.create(2147483647, new BigDecimal("9999999999.99"))), schema)).collectAsList();

        assertEquals(OrderTotals.TOTAL_AMOUNT_TYPE, Schemas.typeOf(rows.get(0).schema(), "total_amount"));
        assertEquals(List.of("0.30", "2469135.78", "21474836469978525163.53"),
                rows.stream().map(r -> ((BigDecimal) r.getAs("total_amount")).toPlainString()).toList());
        assertEquals(0.30000000000000004, 3 * 0.10); // what a double would have printed
    }
}
