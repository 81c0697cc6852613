package dev.orders.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointGuardTest {
    private static final Map<String, String> IDENTITY = Map.of("topic", "order_details");

    @Test
    void aCheckpointKeepsTheIdItWasGivenAtItsFirstStart(@TempDir Path root) {
        String checkpoint = root.resolve("ck").toString();

        String first = CheckpointGuard.verify(new Configuration(), checkpoint, IDENTITY);
        String again = CheckpointGuard.verify(new Configuration(), checkpoint, IDENTITY);
        String other = CheckpointGuard.verify(new Configuration(), root.resolve("other").toString(), IDENTITY);

        assertEquals(first, again);
        assertNotEquals(first, other);
    }

    @Test
    void aCheckpointWrittenBeforeIdsGetsOneAndKeepsWhatItRecorded(@TempDir Path root) throws Exception {
        Path file = Files.createDirectories(root.resolve("ck")).resolve(CheckpointGuard.FILE);
        Files.writeString(file, "topic=order_details\nwatermark=10 minutes\n");

        String id = CheckpointGuard.verify(new Configuration(), file.getParent().toString(), IDENTITY);

        String recorded = Files.readString(file);
        assertTrue(recorded.contains("checkpoint-id=" + id), recorded);
        assertTrue(recorded.contains("watermark=10 minutes"), recorded);
        assertEquals(id, CheckpointGuard.verify(new Configuration(), file.getParent().toString(), IDENTITY));
    }

    @Test
    void aCheckpointStartedBeforeAValueWasRecordedLearnsItAndIsCheckedFromThenOn(@TempDir Path root) throws Exception {
        Path file = Files.createDirectories(root.resolve("ck")).resolve(CheckpointGuard.FILE);
        Files.writeString(file, "topic=order_details\n");
        String checkpoint = file.getParent().toString();

        CheckpointGuard.verify(new Configuration(), checkpoint, Map.of("topic", "order_details", "time-zone", "UTC"));
        StartupException refused = assertThrows(StartupException.class, () -> CheckpointGuard.verify(
                new Configuration(), checkpoint, Map.of("topic", "order_details", "time-zone", "Europe/Paris")));

        assertEquals("checkpoint " + checkpoint + " belongs to a query with time-zone=UTC, not Europe/Paris: use a new"
                + " --checkpoint-dir (or delete this one to start over)", refused.getMessage());
    }
}
