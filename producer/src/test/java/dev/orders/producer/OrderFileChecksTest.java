package dev.orders.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdict on a whole order file, given the size and time the file source planned it with. */
class OrderFileChecksTest {
    private static final String HEADER = Schemas.ORDER_FILE_HEADER;
    private static final Instant MODIFIED = Instant.parse("2024-05-01T10:00:05Z");
    private static final String CHANGED = "file_changed_while_read";

    @TempDir
    Path dir;

    @Test
    void aWholeFileWithTheHeaderIsGood() throws IOException {
        Path file = write("order_1.csv", HEADER + "\nE1,1,C1,p,1.00,2024-05-01 10:00:00,3\n");

        assertEquals(OrderFileChecks.Verdict.good(), checkAsPlanned(file));
    }

    @Test
    void aFileWithWindowsLineEndsIsGood() throws IOException {
        Path file = write("order_1.csv", HEADER + "\r\nE1,1,C1,p,1.00,2024-05-01 10:00:00,3\r\n");

        assertEquals(OrderFileChecks.Verdict.good(), checkAsPlanned(file));
    }

    @Test
    void aFileWhoseLastLineHasNoLineEndIsCutShort() throws IOException {
        // The writer paused inside E2's quantity: 1 of what will be 15.
        Path file = write("order_1.csv", HEADER + "\nE1,1,C1,p,1.00,2024-05-01 10:00:00,3\nE2,1,C1,p,1.00,2024-05-01 10:00:01,1");

        assertEquals(new OrderFileChecks.Verdict(true, RejectionReason.FILE_CHANGED_WHILE_READ,
                "the file's last line has no line end: still being written? land order files by write-then-rename"),
                checkAsPlanned(file));
    }

    @Test
    void aFileThatGrewAfterItWasPlannedChangedWhileRead() throws IOException {
        String planned = HEADER + "\nE1,1,C1,p,1.00,2024-05-01 10:00:00,3\nE2,1,C1,p,1.00,2024-05-01 10:00:01,1";
        String finished = planned + "5\nE3,1,C1,p,1.00,2024-05-01 10:00:02,2\n";
        Path file = write("order_1.csv", finished);
        long plannedSize = planned.getBytes(StandardCharsets.UTF_8).length;
        long plannedTime = MODIFIED.minusSeconds(3).toEpochMilli();

        OrderFileChecks.Verdict verdict = OrderFileChecks.check(new Configuration(), file.toUri().toString(),
                plannedSize, plannedTime);

        assertEquals(new OrderFileChecks.Verdict(true, RejectionReason.FILE_CHANGED_WHILE_READ,
                "the file was 143 bytes, modified 2024-05-01T10:00:02Z, when planned and is 182 bytes, modified"
                        + " 2024-05-01T10:00:05Z, when read: land order files by write-then-rename"), verdict);
        assertEquals(143, plannedSize);
        assertEquals(182, Files.size(file));
    }

    @Test
    void aFileRewrittenInPlaceWithTheSameSizeChangedWhileRead() throws IOException {
        Path file = write("order_1.csv", HEADER + "\nE1,1,C1,p,1.00,2024-05-01 10:00:00,3\n");

        OrderFileChecks.Verdict verdict = OrderFileChecks.check(new Configuration(), file.toUri().toString(),
                Files.size(file), MODIFIED.minusMillis(1).toEpochMilli());

        assertEquals(CHANGED, verdict.problem().code());
        assertEquals("the file was 107 bytes, modified 2024-05-01T10:00:04.999Z, when planned and is 107 bytes,"
                + " modified 2024-05-01T10:00:05Z, when read: land order files by write-then-rename", verdict.error());
    }

    @Test
    void aFileRemovedBeforeItsCheckChangedWhileRead() throws IOException {
        Path file = write("order_1.csv", HEADER + "\n");
        String uri = file.toUri().toString();
        Files.delete(file);

        assertEquals(new OrderFileChecks.Verdict(false, RejectionReason.FILE_CHANGED_WHILE_READ,
                "the file was 70 bytes, modified 2024-05-01T10:00:05Z, when planned and was removed while it was"
                        + " read: land order files by write-then-rename"),
                OrderFileChecks.check(new Configuration(), uri, 70, MODIFIED.toEpochMilli()));
    }

    @Test
    void aCompressedFileIsNotJudgedByItsLastByte() throws IOException {
        Path file = dir.resolve("order_1.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write((HEADER + "\nE1,1,C1,p,1.00,2024-05-01 10:00:00,3").getBytes(StandardCharsets.UTF_8));
        }
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));

        assertEquals(OrderFileChecks.Verdict.good(), checkAsPlanned(file));
    }

    @Test
    void aFileWithAnotherHeaderIsABadHeaderAndACutOneIsCutFirst() throws IOException {
        Path whole = write("order_1.csv", "id,line,customer,product,amount,date,qty\nW1,1,C1,p,1.00,x,1\n");
        Path cut = write("order_2.csv", "id,line,customer,product,amount,date,qty\nW1,1,C1,p,1.00,x,1");

        assertEquals(new OrderFileChecks.Verdict(false, RejectionReason.BAD_HEADER,
                "the file does not start with the header " + HEADER), checkAsPlanned(whole));
        assertEquals(new OrderFileChecks.Verdict(false, RejectionReason.FILE_CHANGED_WHILE_READ,
                OrderFileChecks.CUT_SHORT_ERROR), checkAsPlanned(cut));
    }

    /** The check with the file's size and time as they are: the file source planned what is there now. */
    private static OrderFileChecks.Verdict checkAsPlanned(Path file) throws IOException {
        return OrderFileChecks.check(new Configuration(), file.toUri().toString(), Files.size(file),
                Files.getLastModifiedTime(file).toMillis());
    }

    private Path write(String name, String content) throws IOException {
        Path file = Files.writeString(dir.resolve(name), content);
        Files.setLastModifiedTime(file, FileTime.from(MODIFIED));
        return file;
    }
}
