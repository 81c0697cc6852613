package dev.orders.it;

import static dev.orders.it.InProcessPipeline.withOption;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.common.EventTimes;
import dev.orders.common.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What could stop the consumer or lose its data without a word, against the real broker: messages whose
 * order_date would fail the query or poison the watermark, an output folder reused under a new checkpoint,
 * and messages deleted by retention before the consumer read them.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsumerPoisonInputIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void badDatesAndValuesAreDeadLetteredAndTheWatermarkFollowsOnlyTheGoodOnes(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka);
        List<String> values = List.of(
                order("O1", "2024-05-01T10:00:00.000Z"),
                order("O2", "2024-02-30T08:00:00.000Z"), // threw SparkUpgradeException in the JSON reader
                order("O3", "9999-12-31T23:59:59.000Z"), // would have moved the watermark to year 9999
                order("O4", "2024-13-01T08:00:00.000Z"),
                order("O5", "2024-05-01T10:01:00.000Z"),
                order("O6", "2024-05-01T10:01:30.000Z").replace("\"amount\":19.99", "\"amount\":-1.00"));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), kafka.send(folders.topic, values.toArray(String[]::new)));

        List<StreamingQueryProgress> first = pipeline.runConsumer();

        assertEquals(List.of(row("O1", "2024-05-01T10:00:00Z"), row("O5", "2024-05-01T10:01:00Z")), pipeline.output());
        String notADate = "order_date is not " + EventTimes.FORMATS_WITH_ZONE + ": ";
        assertEquals(List.of(
                "1|wrong_type|" + notADate + "'2024-02-30T08:00:00.000Z'",
                "2|implausible_date|order_date is more than 1 day ahead of the time the message was written:"
                        + " '9999-12-31T23:59:59.000Z'",
                "3|wrong_type|" + notADate + "'2024-13-01T08:00:00.000Z'",
                "5|invalid_value|amount is negative: -1.00"), deadLetters(kafka, folders));
        Map<String, Long> expectedCounts = new TreeMap<>(Map.of("rows", 6L, "bad_header", 0L, "malformed_order", 0L,
                "unknown_customer", 0L, "file_changed_while_read", 0L, "implausible_date", 1L, "invalid_json", 0L,
                "wrong_type", 2L, "missing_field", 0L, "invalid_value", 1L));
        assertEquals(expectedCounts, InProcessPipeline.inputCounts(first));

        // A later order, 1 minute after the newest good one: on time for a watermark that followed the good
        // orders (10:01 - 10 minutes), late for one moved by the year-9999 message.
        kafka.send(folders.topic, order("O7", "2024-05-01T10:02:00.000Z"));
        List<StreamingQueryProgress> second = pipeline.runConsumer();

        assertEquals(List.of(row("O1", "2024-05-01T10:00:00Z"), row("O5", "2024-05-01T10:01:00Z"),
                row("O7", "2024-05-01T10:02:00Z")), pipeline.output());
        StreamingQueryProgress withO7 = second.stream().filter(p -> p.numInputRows() > 0).findFirst().orElseThrow();
        assertEquals("2024-05-01T09:51:00.000Z", withO7.eventTime().get("watermark"));
        assertEquals(0, InProcessPipeline.lateDropped(withO7));
    }

    @Test
    void anOutputFolderWrittenUnderOneCheckpointIsRefusedToAnother(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka);
        kafka.send(folders.topic, order("O1", "2024-05-01T10:00:00.000Z"));
        pipeline.runConsumer();
        assertEquals(List.of(row("O1", "2024-05-01T10:00:00Z")), pipeline.output());

        // A fresh checkpoint numbers its batches from 0 again: the sink log already has batch 0, so its first
        // batch would be skipped as written. Here, O1 and O2 would have been lost.
        kafka.send(folders.topic, order("O2", "2024-05-01T10:01:00.000Z"));
        String checkpoint = folders.checkpoint("consumer").toString();
        Path newCheckpoint = folders.checkpoint("consumer-new");
        StartupException refused = assertThrows(StartupException.class, () -> pipeline.startConsumerWithArgs(
                withOption(pipeline.consumerArgs("--available-now"), "--checkpoint-dir", newCheckpoint.toString())));

        assertEquals("output folder " + folders.output + " belongs to checkpoint " + checkpoint
                + " (_spark_metadata): checkpoint " + newCheckpoint + " would skip every batch id already recorded"
                + " there and lose its rows; use a new --output-dir, or delete " + folders.output
                + " to start over, or use --checkpoint-dir " + checkpoint, refused.getMessage());
        assertFalse(Files.exists(newCheckpoint.resolve("orders")), "the refused query must not have started");
        assertEquals(List.of(row("O1", "2024-05-01T10:00:00Z")), pipeline.output());

        // The checkpoint that wrote the folder goes on.
        pipeline.runConsumer();
        assertEquals(List.of(row("O1", "2024-05-01T10:00:00Z"), row("O2", "2024-05-01T10:01:00Z")),
                pipeline.output());
    }

    @Test
    void messagesDeletedBeforeTheConsumerReadThemStopItWithTheirOffsetsUnlessToldToSkipThem(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka);
        List<String> orders = IntStream.rangeClosed(0, 9)
                .mapToObj(i -> order("O" + i, "2024-05-01T10:0" + i + ":00.000Z")).toList();
        kafka.send(folders.topic, orders.subList(0, 5).toArray(String[]::new));
        pipeline.runConsumer();
        List<String> expected = new ArrayList<>();
        IntStream.rangeClosed(0, 4).forEach(i -> expected.add(row("O" + i, "2024-05-01T10:0" + i + ":00Z")));
        assertEquals(expected, pipeline.output());

        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), kafka.send(folders.topic, orders.subList(5, 10).toArray(String[]::new)));
        deleteRecordsBefore(kafka, new TopicPartition(folders.topic, 0), 8); // as retention would

        String checkpoint = folders.checkpoint("consumer").toString();
        StartupException refused = assertThrows(StartupException.class, pipeline::runConsumer);
        assertEquals("checkpoint " + checkpoint + " has not read messages Kafka no longer has: " + folders.topic
                + " partition 0: offsets 5-7 are gone (retention?); use --skip-lost-offsets to skip them knowingly",
                refused.getMessage());
        assertEquals(expected, pipeline.output());

        List<StreamingQueryProgress> skipping = pipeline.runConsumerWith("--skip-lost-offsets");

        expected.add(row("O8", "2024-05-01T10:08:00Z"));
        expected.add(row("O9", "2024-05-01T10:09:00Z"));
        assertEquals(expected, pipeline.output());
        assertEquals(2, InProcessPipeline.sum(skipping, StreamingQueryProgress::numInputRows));
        // Back on offsets Kafka has: the next start needs no flag.
        pipeline.runConsumer();
        assertEquals(expected, pipeline.output());
    }

    /** An order_details message as the producer writes it: customer C1, 3 Widgets at 19.99. */
    private static String order(String orderId, String orderDate) {
        return "{\"customer_id\":\"C1\",\"name\":\"Alice\",\"age\":30,\"city\":\"Paris\",\"order_id\":\"" + orderId
                + "\",\"order_line_id\":1,\"product\":\"Widget\",\"amount\":19.99,\"order_date\":\"" + orderDate
                + "\",\"quantity\":3}";
    }

    /** {@link #order}'s row in the json output, as {@link InProcessPipeline#output()} formats it. */
    private static String row(String orderId, String instant) {
        return orderId + "|1|C1|Alice|30|Paris|Widget|19.99|" + instant + "|3|59.97";
    }

    /** {@code offset|reason|error} of each dead letter of the consumer, by offset. */
    private static List<String> deadLetters(TestKafka kafka, PipelineFolders folders) throws Exception {
        List<String> letters = new ArrayList<>();
        for (var record : kafka.readAll(folders.deadLetterTopic)) {
            JsonNode letter = JSON.readTree(record.value());
            String source = letter.get("source").asText();
            assertEquals("consumer", letter.get("stage").asText());
            letters.add(source.substring(source.lastIndexOf('-') + 1) + "|" + letter.get("reason").asText() + "|"
                    + letter.get("error").asText());
        }
        letters.sort(Comparator.comparingLong(s -> Long.parseLong(s.substring(0, s.indexOf('|')))));
        return letters;
    }

    private static void deleteRecordsBefore(TestKafka kafka, TopicPartition partition, long offset) throws Exception {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            admin.deleteRecords(Map.of(partition, RecordsToDelete.beforeOffset(offset))).all().get(30, TimeUnit.SECONDS);
        }
    }
}
