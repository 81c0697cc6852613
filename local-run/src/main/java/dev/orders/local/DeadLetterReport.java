package dev.orders.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Prints the dead-letter topic: each rejected record with its reason, then the count by reason. */
final class DeadLetterReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    static void print(String bootstrapServers, String topic, PrintStream out) throws Exception {
        Map<String, Integer> byReason = new TreeMap<>();
        out.println("Dead letters in " + topic + ":");
        for (ConsumerRecord<byte[], byte[]> record : TopicReader.readAll(bootstrapServers, topic)) {
            JsonNode letter = JSON.readTree(record.value());
            String reason = letter.path("reason").asText();
            byReason.merge(reason, 1, Integer::sum);
            String source = letter.path("source").asText();
            out.printf("  %-16s %-24s %s%n", reason, source.substring(source.lastIndexOf('/') + 1),
                    letter.path("error").asText() + ": " + letter.path("raw").asText());
        }
        out.println("  total " + byReason.values().stream().mapToInt(Integer::intValue).sum() + " " + byReason);
    }

    private DeadLetterReport() {
    }
}
