package dev.orders.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.common.options.ProducerOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaWritesTest {

    @Test
    void bothAppsWriteAcknowledgedIdempotentBatchedAndCompressed() {
        Map<String, String> sink = KafkaWrites.sinkOptions(options());

        assertEquals(Map.of(
                "kafka.bootstrap.servers", "broker:9092",
                "kafka.acks", "all",
                "kafka.enable.idempotence", "true",
                "kafka.linger.ms", "50",
                "kafka.batch.size", "262144",
                "kafka.compression.type", "lz4"), sink);
    }

    @Test
    void aKafkaOptionOverridesTheAppsOwnSetting() {
        Map<String, String> sink = KafkaWrites.sinkOptions(options("--kafka-option", "compression.type=zstd",
                "--kafka-option", "kafka.linger.ms=0", "--kafka-option", "security.protocol=SASL_SSL"));

        assertEquals("zstd", sink.get("kafka.compression.type"));
        assertEquals("0", sink.get("kafka.linger.ms"));
        assertEquals("SASL_SSL", sink.get("kafka.security.protocol"));
        assertEquals("all", sink.get("kafka.acks"));
    }

    private static dev.orders.common.options.CommonOptions options(String... kafkaOptions) {
        String[] args = new String[kafkaOptions.length + 2];
        args[0] = "--bootstrap-servers";
        args[1] = "broker:9092";
        System.arraycopy(kafkaOptions, 0, args, 2, kafkaOptions.length);
        return ProducerOptions.parse(args, Map.of()).common();
    }
}
