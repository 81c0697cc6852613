package dev.orders.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.common.options.CommonOptions;
import dev.orders.common.options.ConsumerOptions;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaReadsTest {

    @Test
    void theConsumerReadsWithoutWaitingOnTheBroker() {
        assertEquals(Map.of(
                "kafka.bootstrap.servers", "broker:9092",
                "kafka.fetch.max.wait.ms", "10"), KafkaReads.sourceOptions(options()));
    }

    @Test
    void aKafkaOptionOverridesTheAppsOwnSetting() {
        Map<String, String> source = KafkaReads.sourceOptions(options("--kafka-option", "fetch.max.wait.ms=500",
                "--kafka-option", "security.protocol=SASL_SSL"));

        assertEquals(Map.of(
                "kafka.bootstrap.servers", "broker:9092",
                "kafka.fetch.max.wait.ms", "500",
                "kafka.security.protocol", "SASL_SSL"), source);
    }

    private static CommonOptions options(String... kafkaOptions) {
        String[] args = new String[kafkaOptions.length + 2];
        args[0] = "--bootstrap-servers";
        args[1] = "broker:9092";
        System.arraycopy(kafkaOptions, 0, args, 2, kafkaOptions.length);
        return ConsumerOptions.parse(args, Map.of()).common();
    }
}
