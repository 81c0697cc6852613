package dev.orders.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaSourceOffsetsTest {

    @Test
    void eachPartitionsNextOffset() {
        assertEquals(Map.of(new TopicPartition("order_details", 0), 123L,
                        new TopicPartition("order_details", 3), 98L),
                KafkaSourceOffsets.parse("{\"order_details\":{\"3\":98,\"0\":123}}"));
    }

    @Test
    void noOffsetsAreNone() {
        assertEquals(Map.of(), KafkaSourceOffsets.parse(null));
        assertEquals(Map.of(), KafkaSourceOffsets.parse("{}"));
    }

    @Test
    void anythingElseIsNamed() {
        assertEquals("not the offsets of a Kafka source: {\"t\":{\"x\":1}}",
                assertThrows(IllegalArgumentException.class, () -> KafkaSourceOffsets.parse("{\"t\":{\"x\":1}}"))
                        .getMessage());
    }
}
