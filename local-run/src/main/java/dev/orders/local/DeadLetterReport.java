package dev.orders.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Prints the dead-letter topic: each rejected record with its reason, then the count by reason. */
final class DeadLetterReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    static void print(String bootstrapServers, String topic, PrintStream out) throws Exception {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, Integer> byReason = new TreeMap<>();
        out.println("Dead letters in " + topic + ":");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode letter = JSON.readTree(record.value());
                    String reason = letter.path("reason").asText();
                    byReason.merge(reason, 1, Integer::sum);
                    String source = letter.path("source").asText();
                    out.printf("  %-16s %-24s %s%n", reason, source.substring(source.lastIndexOf('/') + 1),
                            letter.path("error").asText() + ": " + letter.path("raw").asText());
                }
            }
        }
        out.println("  total " + byReason.values().stream().mapToInt(Integer::intValue).sum() + " " + byReason);
    }

    private DeadLetterReport() {
    }
}
