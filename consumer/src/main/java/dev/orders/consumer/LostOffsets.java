package dev.orders.consumer;

import dev.orders.common.KafkaConnectivity;
import dev.orders.common.StartupException;
import dev.orders.common.options.CommonOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * Messages a checkpoint has not read yet that Kafka no longer has: retention (or {@code deleteRecords})
 * removed them while the consumer was stopped. Spark would fail every start with its long
 * {@code failOnDataLoss} error; this finds them first, to say which ones in one line.
 */
final class LostOffsets {
    private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

    /** Offsets {@code from} to {@code to} (both included) of a partition, gone. */
    record Gap(TopicPartition partition, long from, long to) {
        long count() {
            return to - from + 1;
        }

        /** {@code order_details partition 0}. */
        String where() {
            return partition.topic() + " partition " + partition.partition();
        }

        /** {@code offsets 5-7}, or {@code offset 5}. */
        String offsets() {
            return from == to ? "offset " + from : "offsets " + from + "-" + to;
        }
    }

    /**
     * The gaps between where these query checkpoints resume reading and the earliest offsets Kafka still
     * has; for a partition two queries resume at different offsets, the wider gap. Checkpoints that
     * committed no batch are left out.
     *
     * @throws StartupException when a checkpoint or Kafka cannot be read
     */
    static List<Gap> find(CommonOptions options, List<QueryCheckpoint> checkpoints) {
        Map<TopicPartition, Long> resume = new TreeMap<>(BY_TOPIC_AND_PARTITION);
        for (QueryCheckpoint checkpoint : checkpoints) {
            try {
                checkpoint.resumeOffsets().forEach((partition, offset) -> resume.merge(partition, offset, Math::min));
            } catch (IOException | RuntimeException e) {
                throw new StartupException("cannot read the offsets of checkpoint " + checkpoint.location() + ": "
                        + e.getMessage(), e);
            }
        }
        if (resume.isEmpty()) {
            return List.of();
        }
        Map<TopicPartition, Long> earliest = earliestOffsets(options, resume);
        List<Gap> gaps = new ArrayList<>();
        resume.forEach((partition, offset) -> {
            Long first = earliest.get(partition);
            if (first != null && offset < first) {
                gaps.add(new Gap(partition, offset, first - 1));
            }
        });
        return gaps;
    }

    /** {@code order_details partition 0: offsets 5-7 are gone (retention?); ...}. */
    static String describe(List<Gap> gaps) {
        return gaps.stream()
                .map(gap -> gap.where() + ": " + gap.offsets() + (gap.count() == 1 ? " is" : " are") + " gone (retention?)")
                .collect(Collectors.joining("; "));
    }

    /** {@code order_details partition 0: 3 (offsets 5-7); 3 in all}. */
    static String counts(List<Gap> gaps) {
        return gaps.stream().map(gap -> gap.where() + ": " + gap.count() + " (" + gap.offsets() + ")")
                .collect(Collectors.joining("; ")) + "; " + gaps.stream().mapToLong(Gap::count).sum() + " in all";
    }

    private static Map<TopicPartition, Long> earliestOffsets(CommonOptions options, Map<TopicPartition, Long> partitions) {
        Map<TopicPartition, OffsetSpec> request = new TreeMap<>(BY_TOPIC_AND_PARTITION);
        partitions.keySet().forEach(partition -> request.put(partition, OffsetSpec.earliest()));
        long timeoutMs = options.kafkaTimeout().toMillis();
        try (Admin admin = Admin.create(KafkaConnectivity.adminConfig(options))) {
            Map<TopicPartition, ListOffsetsResultInfo> earliest = admin.listOffsets(request).all()
                    .get(timeoutMs + 5_000, TimeUnit.MILLISECONDS);
            Map<TopicPartition, Long> offsets = new TreeMap<>(BY_TOPIC_AND_PARTITION);
            earliest.forEach((partition, info) -> offsets.put(partition, info.offset()));
            return offsets;
        } catch (ExecutionException e) {
            throw cannotRead(partitions, e.getCause());
        } catch (TimeoutException | org.apache.kafka.common.KafkaException e) {
            throw cannotRead(partitions, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StartupException("interrupted while reading the earliest offsets from Kafka", e);
        }
    }

    private static StartupException cannotRead(Map<TopicPartition, Long> partitions, Throwable cause) {
        return new StartupException("cannot read the earliest offsets of " + partitions.keySet() + " from Kafka: "
                + cause.getClass().getSimpleName() + ": " + cause.getMessage(), cause);
    }

    private LostOffsets() {
    }
}
