package dev.orders.it;

import dev.orders.kafka.KafkaBrokerProcess;
import dev.orders.local.TopicReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The Kafka the tests talk to. {@link #local()} is one real broker (KRaft, loopback) for all the tests of
 * this JVM, started on first use in a child JVM and stopped when the tests end; tests isolate themselves
 * with topics of their own.
 */
final class TestKafka {
    private static TestKafka local;
    private static KafkaBrokerProcess localBroker;

    private final String bootstrapServers;

    TestKafka(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    static synchronized TestKafka local() {
        if (local == null) {
            try {
                Path dataDir = Files.createTempDirectory("orders-test-kafka");
                localBroker = KafkaBrokerProcess.start(dataDir, KafkaBrokerProcess.Options.defaults());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(localBroker::close));
            local = new TestKafka(localBroker.bootstrapServers());
        }
        return local;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    void createTopics(String... names) {
        createTopics(bootstrapServers, Map.of(), names);
    }

    /** Topics of {@code partitions} partitions each. */
    void createTopics(int partitions, String... names) {
        createTopics(bootstrapServers, Map.of(), partitions, names);
    }

    /** Every record of the topic, from the beginning to the current end. */
    List<ConsumerRecord<String, String>> readAll(String topic) {
        return readAll(bootstrapServers, Map.of(), topic);
    }

    /**
     * Writes these values (null keys) to partition 0 of the topic, one after the other, as a plain Kafka
     * producer would; returns their offsets, in order.
     */
    List<Long> send(String topic, String... values) {
        return sendBytes(topic, Arrays.stream(values)
                .map(value -> value == null ? null : value.getBytes(StandardCharsets.UTF_8)).toList());
    }

    /** {@link #send} for values that need not be text (null for a tombstone). */
    List<Long> sendBytes(String topic, List<byte[]> values) {
        return sendBytes(topic, 0, values);
    }

    /** {@link #send} to one partition of a topic. */
    List<Long> sendTo(String topic, int partition, String... values) {
        return sendBytes(topic, partition, Arrays.stream(values).map(value -> value.getBytes(StandardCharsets.UTF_8))
                .toList());
    }

    private List<Long> sendBytes(String topic, int partition, List<byte[]> values) {
        Properties config = new Properties();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        List<Long> offsets = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
            List<java.util.concurrent.Future<RecordMetadata>> sent = new ArrayList<>();
            for (byte[] value : values) {
                sent.add(producer.send(new ProducerRecord<>(topic, partition, null, value)));
            }
            for (java.util.concurrent.Future<RecordMetadata> written : sent) {
                offsets.add(written.get(30, TimeUnit.SECONDS).offset());
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot write to " + topic, e);
        }
        return offsets;
    }

    /** Creates topics on a broker that needs these client properties (SASL, say). */
    static void createTopics(String bootstrapServers, Map<String, Object> clientProperties, String... names) {
        createTopics(bootstrapServers, clientProperties, 1, names);
    }

    static void createTopics(String bootstrapServers, Map<String, Object> clientProperties, int partitions,
            String... names) {
        Properties config = new Properties();
        config.putAll(clientProperties);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(config)) {
            admin.createTopics(Arrays.stream(names).map(name -> new NewTopic(name, partitions, (short) 1)).toList())
                    .all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topics " + List.of(names), e);
        }
    }

    /** Every record of the topic, from a broker that needs these client properties (SASL, say). */
    static List<ConsumerRecord<String, String>> readAll(String bootstrapServers, Map<String, Object> clientProperties,
            String topic) {
        return TopicReader.readAll(bootstrapServers, topic, clientProperties).stream()
                .map(record -> new ConsumerRecord<>(record.topic(), record.partition(), record.offset(),
                        text(record.key()), text(record.value())))
                .toList();
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
