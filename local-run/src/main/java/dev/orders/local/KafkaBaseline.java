package dev.orders.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fastest thing that could move the pipeline's records on the same broker: the enriched messages the
 * producer wrote, produced again with plain kafka-clients (batched, acks=all, idempotent, no compression,
 * as the producer app writes) to a fresh topic, and consumed back.
 */
final class KafkaBaseline {

    record Result(long messages, long produceMillis, long consumeMillis) {
        double producePerSecond() {
            return messages * 1000.0 / Math.max(1, produceMillis);
        }

        double consumePerSecond() {
            return messages * 1000.0 / Math.max(1, consumeMillis);
        }

        /** Messages per second through produce then consume, the counterpart of the pipeline's end to end. */
        double roundTripPerSecond() {
            return messages * 1000.0 / Math.max(1, produceMillis + consumeMillis);
        }
    }

    static Result run(String bootstrap, String sourceTopic, String targetTopic) throws Exception {
        List<ConsumerRecord<byte[], byte[]>> messages = readAll(bootstrap, sourceTopic);

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        config.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        AtomicReference<Exception> failure = new AtomicReference<>();
        long started = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            for (ConsumerRecord<byte[], byte[]> message : messages) {
                producer.send(new ProducerRecord<>(targetTopic, message.key(), message.value()), (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    }
                });
            }
            producer.flush();
        }
        long produceMillis = (System.nanoTime() - started) / 1_000_000;
        if (failure.get() != null) {
            throw failure.get();
        }

        started = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> consumed = readAll(bootstrap, targetTopic);
        long consumeMillis = (System.nanoTime() - started) / 1_000_000;
        if (consumed.size() != messages.size()) {
            throw new IllegalStateException("baseline consumed " + consumed.size() + " of " + messages.size());
        }
        return new Result(messages.size(), produceMillis, consumeMillis);
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String bootstrap, String topic) {
        Properties config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024));
        config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024));
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private KafkaBaseline() {
    }
}
