package dev.orders.it;

import static dev.orders.it.InProcessPipeline.withOption;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orders.common.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint remembers what its query was started with: starting it again with another topic, watermark
 * or orders folder stops the app before Spark touches the checkpoint, with a message that says what to do.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class CheckpointGuardIT {
    private static final String O1 = "{\"customer_id\":\"C1\",\"name\":\"Alice\",\"age\":30,\"city\":\"Paris\","
            + "\"order_id\":\"O1\",\"order_line_id\":1,\"product\":\"Widget\",\"amount\":19.99,"
            + "\"order_date\":\"2024-05-01T10:00:00.000Z\",\"quantity\":3}";
    private static final String ROW_O1 = "O1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:00:00Z|3|59.97";

    @Test
    void theConsumerRefusesItsCheckpointWithAnotherTopic(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka);
        String otherTopic = folders.topic + "_b";
        kafka.createTopics(otherTopic);
        kafka.send(folders.topic, O1);
        pipeline.runConsumer();
        assertEquals(List.of(ROW_O1), pipeline.output());

        String checkpoint = folders.checkpoint("consumer").toString();
        StartupException refused = assertThrows(StartupException.class, () -> pipeline.startConsumerWithArgs(
                withOption(pipeline.consumerArgs("--available-now"), "--topic", otherTopic)));

        assertEquals("checkpoint " + checkpoint + " belongs to a query with topic=" + folders.topic + ", not "
                + otherTopic + ": use a new --checkpoint-dir (or delete this one to start over)", refused.getMessage());
        // The checkpoint is untouched: started again as before, it goes on where it stopped.
        kafka.send(folders.topic, O1.replace("\"O1\"", "\"O2\""));
        pipeline.runConsumer();
        assertEquals(List.of(ROW_O1, ROW_O1.replace("O1", "O2")), pipeline.output());
    }

    @Test
    void theConsumerRefusesItsCheckpointWithAnotherWatermark(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka);
        kafka.send(folders.topic, O1);
        pipeline.runConsumer(); // the default watermark, 10 minutes
        assertEquals(List.of(ROW_O1), pipeline.output());

        String checkpoint = folders.checkpoint("consumer").toString();
        StartupException refused = assertThrows(StartupException.class,
                () -> pipeline.startConsumerWithArgs(pipeline.consumerArgs("--available-now", "--watermark", "5m")));

        assertEquals("checkpoint " + checkpoint + " belongs to a query with watermark=10 minutes, not 5 minutes:"
                + " use a new --checkpoint-dir (or delete this one to start over)", refused.getMessage());
        // The same watermark spelt another way is the same watermark.
        kafka.send(folders.topic, O1.replace("\"O1\"", "\"O2\""));
        pipeline.runConsumerWith("--watermark", "10m");
        assertEquals(List.of(ROW_O1, ROW_O1.replace("O1", "O2")), pipeline.output());
    }

    @Test
    void theProducerRefusesItsCheckpointWithAnotherOrdersFolder(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris");
        folders.addOrderFile("order_1.csv", "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3");
        pipeline.runProducer();
        assertEquals(1, pipeline.producerReports.size());
        Path otherOrders = Files.createDirectories(root.resolve("other-orders"));
        Files.writeString(otherOrders.resolve("order_9.csv"), PipelineFolders.ORDER_HEADER
                + "\nO9,1,C1,Widget,19.99,2024-05-01 10:00:00,3\n");

        String checkpoint = folders.checkpoint("producer").toString();
        StartupException refused = assertThrows(StartupException.class, () -> pipeline.startProducerWithArgs(
                withOption(pipeline.producerArgs("--available-now"), "--orders-dir", otherOrders.toString())));

        assertEquals("checkpoint " + checkpoint + " belongs to a query with orders-dir=" + folders.orders + ", not "
                + otherOrders + ": use a new --checkpoint-dir (or delete this one to start over)",
                refused.getMessage());
        assertEquals(1, pipeline.producerReports.size());
        assertEquals(List.of("O1"), pipeline.publishedOrders().stream()
                .map(order -> order.get("order_id").asText()).toList());
    }

    @Test
    void theProducerRefusesItsCheckpointWithAnotherTimeZoneSoAReSentFileKeepsItsKeys(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris");
        folders.addOrderFile("order_1.csv", "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3");
        pipeline.runProducer(); // the default zone, UTC
        folders.addOrderFile("order_1_again.csv", "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3");

        String checkpoint = folders.checkpoint("producer").toString();
        StartupException refused = assertThrows(StartupException.class,
                () -> pipeline.startProducer("--available-now", "--time-zone", "Europe/Paris"));

        assertEquals("checkpoint " + checkpoint + " belongs to a query with time-zone=UTC, not Europe/Paris:"
                + " use a new --checkpoint-dir (or delete this one to start over)", refused.getMessage());
        assertEquals(List.of("2024-05-01T10:00:00.000Z"), publishedOrderDates(pipeline));
        // Started again in its own zone, the re-sent file gets the same order_date, so the same key.
        pipeline.runProducer();
        assertEquals(2, pipeline.producerReports.size());
        assertEquals(List.of("2024-05-01T10:00:00.000Z", "2024-05-01T10:00:00.000Z"), publishedOrderDates(pipeline));
    }

    private static List<String> publishedOrderDates(InProcessPipeline pipeline) {
        return pipeline.publishedOrders().stream().map(order -> order.get("order_date").asText()).toList();
    }
}
