package dev.orders.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Spark's file source rules for the files it skips, as UnreadOrderFiles reads them. */
class UnreadOrderFilesTest {
    private static final String FILE = "file:/landing/orders/order_7.csv";
    private static final long NEWEST = Instant.parse("2024-05-20T12:00:00Z").toEpochMilli();
    private static final Duration WEEK = Duration.ofDays(7);

    @Test
    void aFileTakenAsItIsNowIsNotIgnored() {
        assertEquals(Optional.empty(), ignored(NEWEST - 1000, taken(NEWEST - 1000, 3)));
    }

    @Test
    void aFileOlderThanTheNewestByMoreThanTheMaxFileAgeIsIgnored() {
        long modified = Instant.parse("2024-05-01T08:00:00Z").toEpochMilli();

        IgnoredOrderFile ignored = ignored(modified, Optional.empty()).orElseThrow();

        assertEquals(IgnoredOrderFile.Reason.TOO_OLD, ignored.reason());
        assertEquals(FILE, ignored.path());
        assertEquals(Instant.ofEpochMilli(modified), ignored.modified());
        assertEquals("order file " + FILE + " is ignored: its modification time 2024-05-01T08:00:00Z is more than"
                + " 7 days older than the newest file processed (2024-05-20T12:00:00Z): raise --max-file-age or"
                + " give it a new modification time", ignored.message());
    }

    @Test
    void aFileExactlyTheMaxFileAgeOlderIsStillRead() {
        assertEquals(Optional.empty(), ignored(NEWEST - WEEK.toMillis(), Optional.empty()));
        assertTrue(ignored(NEWEST - WEEK.toMillis() - 1, Optional.empty()).isPresent());
    }

    @Test
    void aFileLandedAgainUnderANameTakenBeforeIsIgnored() {
        long before = Instant.parse("2024-05-19T09:30:00Z").toEpochMilli();

        IgnoredOrderFile ignored = ignored(NEWEST + 5000, taken(before, 4)).orElseThrow();

        assertEquals(IgnoredOrderFile.Reason.NAME_ALREADY_PROCESSED, ignored.reason());
        assertEquals("order file " + FILE + " is ignored: a file of that name was processed in batch 4 (modified"
                + " 2024-05-19T09:30:00Z); the file source reads a name once: land it under a new name",
                ignored.message());
    }

    @Test
    void aNameTheSourceHasForgottenIsReadAgain() {
        // Taken so long before the newest file that the source no longer remembers it.
        long longAgo = NEWEST - WEEK.toMillis() - 1;

        assertEquals(Optional.empty(), ignored(NEWEST, taken(longAgo, 0)));
    }

    @Test
    void hiddenNamesAreThoseSparkLeavesOut() {
        assertTrue(UnreadOrderFiles.isHidden("_SUCCESS"));
        assertTrue(UnreadOrderFiles.isHidden(".order_1.csv.swp"));
        assertTrue(UnreadOrderFiles.isHidden("order_1.csv._COPYING_"));
        assertFalse(UnreadOrderFiles.isHidden("order_1.csv"));
        assertFalse(UnreadOrderFiles.isHidden("_date=2024-05-01"));
    }

    private static Optional<IgnoredOrderFile> ignored(long modified, Optional<ProcessedOrderFiles.Taken> taken) {
        return UnreadOrderFiles.ignored(FILE, modified, taken, NEWEST, WEEK);
    }

    private static Optional<ProcessedOrderFiles.Taken> taken(long modified, long batchId) {
        return Optional.of(new ProcessedOrderFiles.Taken(modified, batchId));
    }
}
