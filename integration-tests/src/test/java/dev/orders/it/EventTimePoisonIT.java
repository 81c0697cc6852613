package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.common.EventTimes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One mistyped year must not poison the consumer's watermark. Before, {@code 20244-05-01 08:00:04} was read
 * as the year 20244 and published; the watermark, kept in the checkpoint, jumped 18,000 years ahead, and every
 * later order came out as late, for good.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class EventTimePoisonIT {

    @Test
    void aMistypedYearOrAFarFutureDateIsADeadLetterAndTheOrdersAfterItStillComeOut(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
        folders.addOrderFile("order_1.csv",
                "O1,1,C1,Widget,19.99,2024-05-01 08:00:00,3",
                "O2,1,C1,Widget,19.99,20244-05-01 08:00:04,1",
                "O3,1,C2,Lamp,5.00,2999-12-31 23:59:59,1",
                "O4,1,C2,Lamp,5.00,2024-05-01,1");
        pipeline.runProducer();
        List<StreamingQueryProgress> first = pipeline.runConsumer();

        folders.addOrderFile("order_2.csv",
                "O5,1,C1,Pen,2.00,2024-05-01 08:01:00,1",
                "O6,1,C2,Desk,249.99,2024-05-01 08:02:00,2",
                "O7,1,C1,Mug,7.50,2024-05-01 08:03:00,4");
        pipeline.runProducer();
        List<StreamingQueryProgress> second = pipeline.runConsumer();

        assertEquals(List.of(
                "O1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T08:00:00Z|3|59.97",
                "O5|1|C1|Alice|30|Paris|Pen|2.00|2024-05-01T08:01:00Z|1|2.00",
                "O6|1|C2|Bob|41|Berlin|Desk|249.99|2024-05-01T08:02:00Z|2|499.98",
                "O7|1|C1|Alice|30|Paris|Mug|7.50|2024-05-01T08:03:00Z|4|30.00"),
                pipeline.output());
        assertEquals(1, InProcessPipeline.sum(first, StreamingQueryProgress::numInputRows));
        assertEquals(3, InProcessPipeline.sum(second, StreamingQueryProgress::numInputRows));
        assertEquals(0, InProcessPipeline.sum(second, InProcessPipeline::lateDropped), "3 in, 3 out, 0 late");
        assertEquals(List.of(
                "implausible_date|order_date is more than 1 day ahead of the clock: '2999-12-31 23:59:59'",
                "malformed_order|order_date is not " + EventTimes.FORMATS + ": '2024-05-01'",
                "malformed_order|order_date is not " + EventTimes.FORMATS + ": '20244-05-01 08:00:04'"),
                pipeline.deadLetters().stream()
                        .map(letter -> letter.get("reason").asText() + "|" + letter.get("error").asText())
                        .sorted().toList());
    }

    @Test
    void aLineWithoutAZoneIsReadInTheProducersTimeZone(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris");
        folders.addOrderFile("order_1.csv",
                "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,1",
                "O2,1,C1,Widget,19.99,2024-05-01T10:00:00Z,1",
                "O3,1,C1,Widget,19.99,2024-05-01T10:00:00-04:00,1");

        pipeline.runProducerWith("--time-zone", "Europe/Paris");

        assertEquals(List.of("O1 2024-05-01T08:00:00.000Z", "O2 2024-05-01T10:00:00.000Z",
                "O3 2024-05-01T14:00:00.000Z"), pipeline.publishedOrders().stream()
                .map(order -> order.get("order_id").asText() + " " + order.get("order_date").asText())
                .sorted().toList());
    }
}
