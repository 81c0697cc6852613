package dev.orders.common;

import dev.orders.common.options.CommonOptions;
import java.util.Map;

/** How the consumer reads order_details through Spark's Kafka source. */
public final class KafkaReads {
    /**
     * {@code fetch.max.wait.ms} is how long the broker may hold a fetch that finds less data than
     * {@code fetch.min.bytes}. Spark's source asks only for offsets it knows are there, yet with the client's
     * 500 ms default each task of a small batch spent about half a second in Kafka: the task reading a
     * 100-message batch took 540 ms, 100 ms with 10 ms here (the README's benchmark has the rest).
     * {@code --kafka-option} overrides it.
     */
    public static final Map<String, String> LATENCY_DEFAULTS = Map.of("fetch.max.wait.ms", "10");

    /** Spark Kafka source options ({@code kafka.} prefixed) for reading with these app options. */
    public static Map<String, String> sourceOptions(CommonOptions options) {
        return options.kafka().asSparkOptions(options.bootstrapServers(), LATENCY_DEFAULTS);
    }

    private KafkaReads() {
    }
}
