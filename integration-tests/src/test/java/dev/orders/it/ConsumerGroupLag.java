package dev.orders.it;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * A consumer group's lag on a topic in Kafka's own terms, as {@code kafka-consumer-groups.sh --describe}
 * reports it: per partition, the group's committed offset, the log-end offset, and the difference.
 */
record ConsumerGroupLag(String group, String topic, Map<Integer, Long> committed, Map<Integer, Long> logEnd) {

    static ConsumerGroupLag of(TestKafka kafka, String group, String topic) {
        Properties config = new Properties();
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(config)) {
            Map<TopicPartition, OffsetAndMetadata> groupOffsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            Map<Integer, Long> committed = new TreeMap<>();
            groupOffsets.forEach((partition, offset) -> {
                if (partition.topic().equals(topic) && offset != null) {
                    committed.put(partition.partition(), offset.offset());
                }
            });
            int partitions = admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
                    .get(topic).partitions().size();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            for (int p = 0; p < partitions; p++) {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<Integer, Long> logEnd = new TreeMap<>();
            admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS)
                    .forEach((partition, info) -> logEnd.put(partition.partition(), info.offset()));
            return new ConsumerGroupLag(group, topic, committed, logEnd);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the offsets of group " + group + " on " + topic, e);
        }
    }

    /** Per partition, log-end offset minus committed offset (all of it when nothing was committed). */
    Map<Integer, Long> lag() {
        return logEnd.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                e -> e.getValue() - committed.getOrDefault(e.getKey(), 0L), (a, b) -> a, TreeMap::new));
    }

    /** The table {@code kafka-consumer-groups.sh --describe --group G} prints for a group without members. */
    String describe() {
        StringBuilder table = new StringBuilder(String.format("%-16s %-24s %-10s %-15s %-15s %-5s %-12s %-5s %s%n",
                "GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST",
                "CLIENT-ID"));
        logEnd.forEach((partition, end) -> table.append(String.format("%-16s %-24s %-10d %-15s %-15d %-5d %-12s %-5s %s%n",
                group, topic, partition, committed.containsKey(partition) ? committed.get(partition) : "-", end,
                lag().get(partition), "-", "-", "-")));
        return table.toString();
    }
}
