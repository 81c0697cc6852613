package dev.orders.consumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** The offsets of Spark's Kafka source as its progress reports them: {@code {"topic":{"0":123,"1":98}}}. */
final class KafkaSourceOffsets {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The next offset to read in each partition; empty for no offsets. */
    static Map<TopicPartition, Long> parse(String json) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (json == null || json.isBlank()) {
            return offsets;
        }
        try {
            JsonNode topics = JSON.readTree(json);
            for (Iterator<Map.Entry<String, JsonNode>> t = topics.fields(); t.hasNext(); ) {
                Map.Entry<String, JsonNode> topic = t.next();
                for (Iterator<Map.Entry<String, JsonNode>> p = topic.getValue().fields(); p.hasNext(); ) {
                    Map.Entry<String, JsonNode> partition = p.next();
                    offsets.put(new TopicPartition(topic.getKey(), Integer.parseInt(partition.getKey())),
                            partition.getValue().longValue());
                }
            }
        } catch (JsonProcessingException | NumberFormatException e) {
            throw new IllegalArgumentException("not the offsets of a Kafka source: " + json, e);
        }
        return offsets;
    }

    private KafkaSourceOffsets() {
    }
}
