package dev.orders.common;

import dev.orders.common.options.CommonOptions;
import java.util.HashMap;
import java.util.Map;

/**
 * How both apps write to Kafka through Spark's sink: the order_details records and the dead letters.
 *
 * <p>The Kafka sink is at-least-once: a batch that is re-run after a crash is written again. acks=all and
 * idempotence keep one run's retries from duplicating; the consumer's deduplication removes the re-runs.
 */
public final class KafkaWrites {
    /**
     * Kafka's client defaults send a batch per partition as soon as the sender is free, of at most 16 KiB and
     * uncompressed. A Spark task hands its records to the producer as fast as it makes them and flushes at its
     * end, so the linger delays no batch's last record; it only lets a partition's batch fill. At 5 ms a
     * batch held 70-150 order records, and starting batches (each a new lz4 stream) took up to a fifth of
     * the producer's task time; at 50 ms batches fill to their 256 KiB. Each can be overridden with
     * {@code --kafka-option}; the README's benchmark has what they are worth.
     */
    public static final Map<String, String> THROUGHPUT_DEFAULTS = Map.of(
            "linger.ms", "50",
            "batch.size", String.valueOf(256 * 1024),
            "compression.type", "lz4");

    /** Spark Kafka sink options ({@code kafka.} prefixed) for writing with these app options. */
    public static Map<String, String> sinkOptions(CommonOptions options) {
        return options.kafka().asSparkOptions(options.bootstrapServers(), clientDefaults());
    }

    /** The client properties the apps write with before any {@code --kafka-option}. */
    public static Map<String, String> clientDefaults() {
        Map<String, String> defaults = new HashMap<>(THROUGHPUT_DEFAULTS);
        defaults.put("acks", "all");
        defaults.put("enable.idempotence", "true");
        return defaults;
    }

    private KafkaWrites() {
    }
}
