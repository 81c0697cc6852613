package dev.orders.consumer;

import static dev.orders.common.Columns.*;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.common.JsonFormat;
import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import java.util.List;
import java.util.UUID;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.MemoryStream;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/** As Spark's StreamingDeduplicationWithinWatermarkSuite: add data, check the new answer, check state rows. */
class OrderDeduplicationTest {
    private final SparkSession spark = LocalSpark.session();
    private MemoryStream<String> messages;
    private StreamingQuery query;
    private String table;

    @BeforeEach
    void start() throws Exception {
        messages = MemoryStream.apply(Encoders.STRING(), spark.sqlContext());
        Dataset<Row> orders = messages.toDF()
                .select(from_json(col("value"), Schemas.ORDER_DETAILS, JsonFormat.OPTIONS).as("o"))
                .select("o.*");
        table = "deduplicated_" + UUID.randomUUID().toString().replace("-", "");
        query = OrderTotals.withTotalAmount(OrderDeduplication.dropDuplicates(orders, "10 minutes"))
                .writeStream().format("memory").queryName(table).outputMode("append").start();
    }

    @AfterEach
    void stop() throws Exception {
        query.stop();
    }

    @Test
    void repeatsWithinTheWatermarkAreDroppedAndLateLinesToo() {
        add(line("O1", 1, "10:00", "19.99", 3), line("O1", 1, "10:00", "19.99", 3), line("O1", 2, "10:00", "0.10", 3));
        assertEquals(List.of("O1/1 59.97", "O1/2 0.30"), newRows());
        assertEquals(2, stateRows());

        // Same order id and line but another date: another order line.
        add(line("O1", 1, "10:05", "19.99", 1), line("O1", 2, "10:00", "0.10", 3));
        assertEquals(List.of("O1/1 59.97", "O1/1 19.99", "O1/2 0.30"), newRows());

        // 10:30 moves the watermark to 10:20: the 10:00 and 10:05 keys leave the state.
        add(line("O2", 1, "10:30", "5.00", 2));
        add(line("O2", 1, "10:30", "5.00", 2));
        assertEquals(1, stateRows());

        // Behind the watermark: dropped as late, even though it was never seen.
        add(line("O3", 1, "10:15", "1.00", 1));
        assertEquals(List.of("O1/1 59.97", "O1/1 19.99", "O1/2 0.30", "O2/1 10.00"), newRows());
        assertEquals(1, query.lastProgress().stateOperators()[0].numRowsDroppedByWatermark());
    }

    private void add(String... lines) {
        messages.addData(JavaConverters.asScalaBuffer(List.of(lines)).toSeq());
        query.processAllAvailable();
    }

    private List<String> newRows() {
        return spark.table(table).orderBy(ORDER_ID, ORDER_LINE_ID, ORDER_DATE).collectAsList().stream()
                .map(r -> r.getAs(ORDER_ID) + "/" + r.getAs(ORDER_LINE_ID) + " "
                        + ((java.math.BigDecimal) r.getAs(TOTAL_AMOUNT)).toPlainString())
                .toList();
    }

    private long stateRows() {
        return query.lastProgress().stateOperators()[0].numRowsTotal();
    }

    private static String line(String orderId, int lineId, String time, String amount, int quantity) {
        return "{\"customer_id\":\"C1\",\"order_id\":\"" + orderId + "\",\"order_line_id\":" + lineId
                + ",\"amount\":" + amount + ",\"order_date\":\"2024-05-01T" + time + ":00.000Z\",\"quantity\":"
                + quantity + "}";
    }
}
