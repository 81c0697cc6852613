package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * order_details with 4 partitions, one of them lagging. The consumer keeps one watermark for the whole
 * topic: the newest order_date seen in any partition, minus 10 minutes, moved between batches. A partition
 * whose messages are behind the others in event time is fine while they arrive in the same batch; once a
 * batch has moved the watermark past them, they are late: dropped and counted, never output.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PartitionedTopicIT {

    @Test
    void onePartitionLaggingInEventTimeIsFineWithinABatchAndLateOnceTheWatermarkPassedIt(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka, 4);

        // Batch 0: partitions 0-2 at 10:00-10:30, partition 3 behind at 09:55. Read together: nothing is late.
        kafka.sendTo(folders.topic, 0, order("A1", "10:00"), order("A2", "10:10"));
        kafka.sendTo(folders.topic, 1, order("B1", "10:20"));
        kafka.sendTo(folders.topic, 2, order("C1", "10:30"));
        kafka.sendTo(folders.topic, 3, order("D1", "09:55"));
        List<StreamingQueryProgress> first = pipeline.runConsumer();

        // The watermark is now 10:30 - 10 minutes = 10:20, for every partition. Partition 3 goes on lagging.
        kafka.sendTo(folders.topic, 3, order("D2", "10:05"), order("D3", "10:19"), order("D4", "10:21"));
        kafka.sendTo(folders.topic, 0, order("A3", "10:31"));
        List<StreamingQueryProgress> second = pipeline.runConsumer();

        assertEquals(List.of(
                "A1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:00:00Z|3|59.97",
                "A2|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:10:00Z|3|59.97",
                "A3|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:31:00Z|3|59.97",
                "B1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:20:00Z|3|59.97",
                "C1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:30:00Z|3|59.97",
                "D1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T09:55:00Z|3|59.97",
                "D4|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:21:00Z|3|59.97"),
                pipeline.output());
        assertEquals(5, InProcessPipeline.sum(first, StreamingQueryProgress::numInputRows));
        assertEquals(0, InProcessPipeline.sum(first, InProcessPipeline::lateDropped));
        assertEquals(4, InProcessPipeline.sum(second, StreamingQueryProgress::numInputRows));
        assertEquals(2, InProcessPipeline.sum(second, InProcessPipeline::lateDropped), "D2 and D3, behind 10:20");
        assertEquals("2024-05-01T10:21:00.000Z", second.get(second.size() - 1).eventTime().get("watermark"));
    }

    private static String order(String orderId, String time) {
        return "{\"customer_id\":\"C1\",\"name\":\"Alice\",\"age\":30,\"city\":\"Paris\",\"order_id\":\"" + orderId
                + "\",\"order_line_id\":1,\"product\":\"Widget\",\"amount\":19.99,\"order_date\":\"2024-05-01T"
                + time + ":00.000Z\",\"quantity\":3}";
    }
}
