package dev.orders.local;

import dev.orders.common.KafkaWrites;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The fastest thing that could move the pipeline's records on the same broker: the enriched messages the
 * producer wrote, produced again with plain kafka-clients with the client settings the producer app writes
 * with ({@link KafkaWrites#clientDefaults()}) to a fresh topic, and consumed back.
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
        List<ConsumerRecord<byte[], byte[]>> messages = TopicReader.readAll(bootstrap, sourceTopic);

        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.putAll(KafkaWrites.clientDefaults()); // as the apps write: acks=all, idempotent, batched, lz4
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
        List<ConsumerRecord<byte[], byte[]>> consumed = TopicReader.readAll(bootstrap, targetTopic, Map.of(
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, String.valueOf(64 * 1024 * 1024),
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(16 * 1024 * 1024)));
        long consumeMillis = (System.nanoTime() - started) / 1_000_000;
        if (consumed.size() != messages.size()) {
            throw new IllegalStateException("baseline consumed " + consumed.size() + " of " + messages.size());
        }
        return new Result(messages.size(), produceMillis, consumeMillis);
    }

    private KafkaBaseline() {
    }
}
