package dev.orders.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueryCheckpointTest {

    @Test
    void resumesFromTheEndOfTheLastCommittedBatch(@TempDir Path root) throws Exception {
        Path offsets = Files.createDirectories(root.resolve("orders/offsets"));
        Path commits = Files.createDirectories(root.resolve("orders/commits"));
        Files.writeString(offsets.resolve("0"), "v1\n{\"batchWatermarkMs\":0}\n{\"t\":{\"0\":5,\"1\":2}}\n");
        Files.writeString(offsets.resolve("1"), "v1\n{\"batchWatermarkMs\":0}\n{\"t\":{\"0\":9,\"1\":4}}\n");
        Files.writeString(commits.resolve("0"), "v1\n{\"nextBatchWatermarkMs\":0}\n");
        Files.writeString(commits.resolve(".0.crc"), "");
        QueryCheckpoint checkpoint = new QueryCheckpoint(new Configuration(), root.resolve("orders").toString());

        assertEquals(OptionalLong.of(0), checkpoint.lastCommittedBatch()); // batch 1 is run again from batch 0's end
        assertEquals(Map.of(new TopicPartition("t", 0), 5L, new TopicPartition("t", 1), 2L),
                checkpoint.resumeOffsets());

        Files.writeString(commits.resolve("1"), "v1\n{\"nextBatchWatermarkMs\":0}\n");
        assertEquals(List.of(9L, 4L), List.copyOf(checkpoint.resumeOffsets().values()));
    }

    @Test
    void aCheckpointWithoutACommittedBatchResumesFromNothingRecorded(@TempDir Path root) throws Exception {
        QueryCheckpoint checkpoint = new QueryCheckpoint(new Configuration(), root.resolve("none").toString());

        assertEquals(OptionalLong.empty(), checkpoint.lastCommittedBatch());
        assertEquals(Map.of(), checkpoint.resumeOffsets());
    }

    @Test
    void lostOffsetsAreDescribedByTopicPartitionAndRange() {
        List<LostOffsets.Gap> gaps = List.of(new LostOffsets.Gap(new TopicPartition("order_details", 0), 5, 7),
                new LostOffsets.Gap(new TopicPartition("order_details", 2), 0, 0));

        assertEquals("order_details partition 0: offsets 5-7 are gone (retention?); order_details partition 2:"
                + " offset 0 is gone (retention?)", LostOffsets.describe(gaps));
        assertEquals("order_details partition 0: 3 (offsets 5-7); order_details partition 2: 1 (offset 0); 4 in all",
                LostOffsets.counts(gaps));
    }
}
