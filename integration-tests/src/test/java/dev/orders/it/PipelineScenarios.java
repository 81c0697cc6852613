package dev.orders.it;

import static dev.orders.it.InProcessPipeline.duplicatesDropped;
import static dev.orders.it.InProcessPipeline.lateDropped;
import static dev.orders.it.InProcessPipeline.sum;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orders.producer.BatchReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order files -> producer -> Kafka -> consumer -> json sink, against a real broker: the scenarios, run
 * against the local broker by {@link PipelineEndToEndIT} and against Testcontainers' Kafka by
 * {@link PipelineOnTestcontainersIT}.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
abstract class PipelineScenarios {

    protected abstract TestKafka kafka();

    @Test
    void eachValidOrderLineArrivesOnceWithItsCustomerAndAnExactTotal(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka());
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin", "C3,Chloé,25,Lyon");

        // Batch 0: a duplicate line inside the file, and a customer that does not exist.
        folders.addOrderFile("order_1.csv",
                "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                "O1,2,C1,Gadget,0.10,2024-05-01 10:00:00,3",
                "O2,1,C2,Lamp,1234567.89,2024-05-01 10:05:00,2",
                "O2,1,C2,Lamp,1234567.89,2024-05-01 10:05:00,2",
                "O3,1,C9,Ghost,5.00,2024-05-01 10:06:00,1");
        pipeline.runProducer();
        List<StreamingQueryProgress> run1 = pipeline.runConsumer();

        // Batch 1: a new order, and a repeat of O1/1 within the watermark (10:00 >= 10:05 - 10 min).
        String[] order2 = {
            "O4,1,C3,Book,12.50,2024-05-01 10:20:00,1",
            "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3"};
        folders.addOrderFile("order_2.csv", order2);
        pipeline.runProducer();
        List<StreamingQueryProgress> run2 = pipeline.runConsumer();

        // Batch 2: the same file again. O4/1 is a duplicate; O1/1 is now behind the watermark (10:20 - 10 min).
        folders.addOrderFile("order_3.csv", order2);
        pipeline.runProducer();
        List<StreamingQueryProgress> run3 = pipeline.runConsumer();

        // Batch 3: a late order (09:00) and a new one.
        folders.addOrderFile("order_4.csv",
                "O5,1,C1,Pen,2.00,2024-05-01 09:00:00,1",
                "O6,1,C2,Desk,249.99,2024-05-01 10:30:00,4");
        pipeline.runProducer();
        List<StreamingQueryProgress> run4 = pipeline.runConsumer();

        assertEquals(List.of(
                "O1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:00:00Z|3|59.97",
                "O1|2|C1|Alice|30|Paris|Gadget|0.10|2024-05-01T10:00:00Z|3|0.30",
                "O2|1|C2|Bob|41|Berlin|Lamp|1234567.89|2024-05-01T10:05:00Z|2|2469135.78",
                "O4|1|C3|Chloé|25|Lyon|Book|12.50|2024-05-01T10:20:00Z|1|12.50",
                "O6|1|C2|Bob|41|Berlin|Desk|249.99|2024-05-01T10:30:00Z|4|999.96"),
                pipeline.output());

        // The producer accounts for every line: published or rejected with a reason.
        List<BatchReport> reports = pipeline.producerReports;
        assertEquals(List.of(5L, 2L, 2L, 2L), reports.stream().map(BatchReport::linesIn).toList());
        assertEquals(List.of(4L, 2L, 2L, 2L), reports.stream().map(BatchReport::published).toList());
        assertEquals(Map.of("unknown_customer", 1L), reports.get(0).rejected());
        assertEquals(10, pipeline.publishedOrders().size());

        List<JsonNode> deadLetters = pipeline.deadLetters();
        assertEquals(1, deadLetters.size());
        JsonNode unknown = deadLetters.get(0);
        assertEquals("producer", unknown.get("stage").asText());
        assertEquals("unknown_customer", unknown.get("reason").asText());
        assertEquals("O3,1,C9,Ghost,5.00,2024-05-01 10:06:00,1", unknown.get("raw").asText());
        assertTrue(unknown.get("source").asText().endsWith("/order_1.csv"), unknown.toString());
        assertEquals(0, unknown.get("batch_id").asLong());

        // The consumer accounts for every message: out, duplicate or late.
        assertEquals(List.of(1L, 1L, 1L, 0L), List.of(sum(run1, p -> duplicatesDropped(p)),
                sum(run2, p -> duplicatesDropped(p)), sum(run3, p -> duplicatesDropped(p)),
                sum(run4, p -> duplicatesDropped(p))));
        assertEquals(List.of(0L, 0L, 1L, 1L), List.of(sum(run1, p -> lateDropped(p)), sum(run2, p -> lateDropped(p)),
                sum(run3, p -> lateDropped(p)), sum(run4, p -> lateDropped(p))));
        assertEquals(List.of(4L, 2L, 2L, 2L), List.of(sum(run1, StreamingQueryProgress::numInputRows),
                sum(run2, StreamingQueryProgress::numInputRows), sum(run3, StreamingQueryProgress::numInputRows),
                sum(run4, StreamingQueryProgress::numInputRows)));
    }

    @Test
    void aRewrittenCustomerFileAppliesFromTheNextOrderFileOn(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka());
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");

        StreamingQuery producer = pipeline.startProducer("--trigger-interval", "200 ms");
        try {
            folders.addOrderFile("order_a.csv", "A1,1,C1,Tea,3.20,2024-06-01 08:00:00,2");
            producer.processAllAvailable();

            folders.writeCustomers("C1,Alice,31,Marseille", "C2,Bob,41,Berlin");
            folders.addOrderFile("order_b.csv", "B1,1,C1,Tea,3.20,2024-06-01 08:01:00,1");
            producer.processAllAvailable();
        } finally {
            producer.stop();
        }
        pipeline.runConsumer();

        assertEquals(List.of(
                "A1|1|C1|Alice|30|Paris|Tea|3.20|2024-06-01T08:00:00Z|2|6.40",
                "B1|1|C1|Alice|31|Marseille|Tea|3.20|2024-06-01T08:01:00Z|1|3.20"),
                pipeline.output());
        assertTrue(Files.exists(folders.customers));
    }
}
