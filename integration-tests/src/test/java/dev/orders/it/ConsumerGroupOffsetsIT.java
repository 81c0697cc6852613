package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer app (its shaded jar under SparkSubmit) mirrors its progress into a Kafka consumer group, so
 * that the lag Kafka's tools compute is the consumer's: after a run the group is at the end of every
 * partition, and what was produced since is exactly the lag. A commit Kafka refuses is a warning only.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ConsumerGroupOffsetsIT {
    private static final List<String> SUBMIT_OPTIONS = List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false");
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    @Test
    void afterARunTheGroupIsAtTheEndOfEveryPartitionAndTheLagIsWhatWasProducedSince(@TempDir Path root)
            throws Exception {
        TestKafka kafka = TestKafka.local();
        PipelineFolders folders = new PipelineFolders(root);
        String group = "orders-consumer-" + UUID.randomUUID();
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, kafka, 4, SUBMIT_OPTIONS)) {
            kafka.sendTo(folders.topic, 0, order("A1", "10:00"), order("A2", "10:01"), order("A3", "10:02"));
            kafka.sendTo(folders.topic, 1, order("B1", "10:03"), order("B2", "10:04"));
            kafka.sendTo(folders.topic, 2, order("C1", "10:05"));

            pipeline.startConsumer("--available-now", "--consumer-group", group).assertExitsZero(RUN_TIMEOUT);

            ConsumerGroupLag afterRun = ConsumerGroupLag.of(kafka, group, folders.topic);
            System.out.print(afterRun.describe());
            assertEquals(Map.of(0, 3L, 1, 2L, 2, 1L, 3, 0L), afterRun.logEnd());
            assertEquals(afterRun.logEnd(), afterRun.committed(), "committed at the end of every partition");

            kafka.sendTo(folders.topic, 1, order("B3", "10:06"), order("B4", "10:07"));
            kafka.sendTo(folders.topic, 3, order("D1", "10:08"));

            ConsumerGroupLag waiting = ConsumerGroupLag.of(kafka, group, folders.topic);
            System.out.print(waiting.describe());
            assertEquals(Map.of(0, 0L, 1, 2L, 2, 0L, 3, 1L), waiting.lag());
        }
    }

    @Test
    void aCommitKafkaRefusesIsAWarningAndTheBatchStillSucceeds(@TempDir Path root) throws Exception {
        TestKafka kafka = TestKafka.local();
        PipelineFolders folders = new PipelineFolders(root);
        String group = "orders-consumer-" + UUID.randomUUID();
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, kafka, 1, SUBMIT_OPTIONS);
                KafkaConsumer<byte[], byte[]> member = activeMember(kafka, group, folders.topic)) {
            kafka.sendTo(folders.topic, 0, order("A1", "10:00"), order("A2", "10:01"));

            ChildProcessPipeline.App run = pipeline.startConsumer("--available-now", "--consumer-group", group)
                    .assertExitsZero(RUN_TIMEOUT);

            assertEquals(List.of(
                    ChildProcessPipeline.key("A1", 1, Instant.parse("2024-05-01T10:00:00Z")),
                    ChildProcessPipeline.key("A2", 1, Instant.parse("2024-05-01T10:01:00Z"))),
                    pipeline.outputKeys());
            List<String> warnings = run.logLines().stream()
                    .filter(line -> line.contains("ConsumerGroupMirror: consumer group " + group
                            + ": offsets of batch 0 not committed"))
                    .toList();
            assertEquals(1, warnings.size(), run::tail);
            System.out.println(warnings.get(0));
            assertTrue(ChildProcessPipeline.WARNING.matcher(warnings.get(0)).find(), warnings.get(0));
            assertEquals(Map.of(), ConsumerGroupLag.of(kafka, group, folders.topic).committed());
        }
    }

    /** A consumer of the group that has joined it and holds its partitions: Kafka refuses others' commits. */
    private static KafkaConsumer<byte[], byte[]> activeMember(TestKafka kafka, String group, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, 600_000);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(config);
        member.subscribe(List.of(topic));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (member.assignment().isEmpty()) {
            if (System.nanoTime() > deadline) {
                member.close();
                throw new AssertionError("the member did not join group " + group + " within 60 s");
            }
            member.poll(Duration.ofMillis(200));
        }
        return member;
    }

    private static String order(String orderId, String time) {
        return "{\"customer_id\":\"C1\",\"name\":\"Alice\",\"age\":30,\"city\":\"Paris\",\"order_id\":\"" + orderId
                + "\",\"order_line_id\":1,\"product\":\"Widget\",\"amount\":19.99,\"order_date\":\"2024-05-01T"
                + time + ":00.000Z\",\"quantity\":3}";
    }
}
