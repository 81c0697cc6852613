package dev.orders.producer;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.LocalSpark;
import dev.orders.common.StartupException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The customer table between batches: a file that goes missing or empty keeps the last good copy, a
 * rewritten file is taken once it has settled, and a file caught half-written is never taken.
 */
class CustomerTableTest {
    private static final String HEADER = "customer_id,name,age,city";
    private static final List<String> OLD = List.of("C1,Alice,30,Paris", "C2,Bob,41,Berlin", "C3,Chloé,25,Lyon");
    private static final List<String> OLD_ROWS =
            List.of("[C1,Alice,30,Paris]", "[C2,Bob,41,Berlin]", "[C3,Chloé,25,Lyon]");
    private static final List<String> NEW = List.of("C1,Alice,31,Marseille", "C2,Bob,41,Berlin", "C4,Dan,52,Rome",
            "C5,Eve,28,Oslo", "C6,Finn,60,Cork", "C7,Gus,19,Nice");
    private static final List<String> NEW_ROWS = List.of("[C1,Alice,31,Marseille]", "[C2,Bob,41,Berlin]",
            "[C4,Dan,52,Rome]", "[C5,Eve,28,Oslo]", "[C6,Finn,60,Cork]", "[C7,Gus,19,Nice]");
    /** How long the writer of a non-atomic rewrite pauses halfway: less than the settle time. */
    private static final Duration WRITER_PAUSE = Duration.ofMillis(500);
    /** A part of a file read by one task, small enough that a test file is read in many. */
    private static final long PART_BYTES = 256;

    @TempDir
    Path dir;

    @Test
    void aFileDeletedAfterLoadKeepsTheCustomersLastRead() throws IOException {
        Path file = settledFile(OLD);
        CustomerTable table = CustomerTable.load(LocalSpark.session(), file.toString());
        assertEquals(OLD_ROWS, rows(table.current()));

        Files.delete(file);

        assertEquals(OLD_ROWS, rows(table.current()));
        assertEquals(OLD_ROWS, rows(table.current()));
        assertEquals(1, table.reloads());
    }

    @Test
    void aFileRewrittenEmptyKeepsTheLastGoodCopy() throws IOException {
        Path file = settledFile(OLD);
        CustomerTable table = CustomerTable.load(LocalSpark.session(), file.toString());

        Files.writeString(file, HEADER + "\n"); // a header and no customer
        assertEquals(OLD_ROWS, rows(table.current()));
        assertEquals(OLD_ROWS, rows(table.current()));

        Files.writeString(file, ""); // not even a header
        assertEquals(OLD_ROWS, rows(table.current()));
        assertEquals(1, table.reloads());
    }

    @Test
    void aFileRewrittenWithOtherCustomersIsTakenOnceItHasSettled() throws IOException {
        Path file = settledFile(OLD);
        CustomerTable table = CustomerTable.load(LocalSpark.session(), file.toString());
        assertEquals(OLD_ROWS, rows(table.current()));

        Files.writeString(file, content(NEW));
        List<String> now = rows(table.current());

        assertTrue(System.currentTimeMillis() - Files.getLastModifiedTime(file).toMillis()
                >= CustomerTable.SETTLE_TIME.toMillis(), "taken before the file had settled");
        assertEquals(NEW_ROWS, now);
        assertEquals(2, table.reloads());
        assertEquals(NEW_ROWS, rows(table.current()));
        assertEquals(2, table.reloads());
        // Still cached: not read from the file again by every batch.
        assertEquals(StorageLevel.MEMORY_AND_DISK(), table.current().storageLevel());
    }

    @Test
    void aFileCaughtHalfWrittenIsNeverTaken() throws Exception {
        assertTrue(WRITER_PAUSE.compareTo(CustomerTable.SETTLE_TIME) < 0);
        Path file = settledFile(OLD);
        CustomerTable table = CustomerTable.load(LocalSpark.session(), file.toString());
        byte[] bytes = content(NEW).getBytes(UTF_8);
        int half = bytes.length / 2;
        // The first half holds whole customers and ends inside a line: taken as it is, it would be a table.
        String firstHalf = new String(bytes, 0, half, UTF_8);
        assertTrue(firstHalf.lines().count() > 2 && !firstHalf.endsWith("\n"), firstHalf);

        AtomicReference<Exception> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(file)) { // truncates, rewrites in place
                out.write(bytes, 0, half);
                out.flush();
                Thread.sleep(WRITER_PAUSE.toMillis());
                out.write(bytes, half, bytes.length - half);
            } catch (IOException | InterruptedException e) {
                writerFailure.set(e);
            }
        }, "customer-file-writer");

        assertEquals(OLD_ROWS, rows(table.current()));

        // As fast as batches could ask, every table handed out while the file is rewritten, used at once as a
        // batch uses it. (Not afterwards: a table the next version replaced is no longer cached, and its
        // rows would be read again from the file as it is then.)
        List<List<String>> seen = new ArrayList<>();
        Dataset<Row> previous = null;
        writer.start();
        while (writer.isAlive()) {
            Dataset<Row> customers = table.current();
            if (customers != previous) {
                seen.add(rows(customers));
                previous = customers;
            }
            Thread.onSpinWait();
        }
        writer.join();
        List<String> last = rows(table.current());
        seen.add(last);

        assertNull(writerFailure.get());
        for (List<String> rows : seen) {
            assertTrue(rows.equals(OLD_ROWS) || rows.equals(NEW_ROWS), "a part of a table: " + rows);
        }
        assertEquals(NEW_ROWS, last);
        assertEquals(2, table.reloads());
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS) // guards against a wait for the future to come
    void aFileModifiedInTheFutureLoadsOnceItHoldsStill() throws IOException {
        Path file = Files.writeString(dir.resolve("customer.csv"), content(OLD));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(Duration.ofDays(1))));

        CustomerTable table = CustomerTable.load(LocalSpark.session(), file.toString());
        assertEquals(OLD_ROWS, rows(table.current()));

        Files.writeString(file, content(NEW));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plus(Duration.ofDays(2))));
        assertEquals(NEW_ROWS, rows(table.current()));
        assertEquals(2, table.reloads());
    }

    @Test
    void aRewrittenFileWithoutTheHeaderKeepsTheLastGoodCopyUntilItIsFixed() throws IOException {
        Path file = settledFile(OLD);
        CustomerTable table = CustomerTable.load(LocalSpark.session(), file.toString());

        Files.writeString(file, String.join("\n", NEW) + "\n"); // the customers, no header
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(30)));
        assertEquals(OLD_ROWS, rows(table.current()));
        assertEquals(1, table.reloads());

        Files.writeString(file, "id,name,age,town\n" + String.join("\n", NEW) + "\n"); // another header
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(20)));
        assertEquals(OLD_ROWS, rows(table.current()));
        assertEquals(1, table.reloads());

        Files.writeString(file, content(NEW));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(10)));
        assertEquals(NEW_ROWS, rows(table.current()));
        assertEquals(2, table.reloads());
    }

    @Test
    void aFileWithoutTheHeaderStopsTheAppBeforeItStarts() throws IOException {
        Path file = Files.writeString(dir.resolve("customer.csv"), String.join("\n", OLD) + "\n");
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));

        StartupException error = assertThrows(StartupException.class,
                () -> CustomerTable.load(LocalSpark.session(), file.toString()));

        assertEquals("cannot read customer file " + file + ": the customer file does not start with the header "
                + HEADER, error.getMessage());
    }

    /**
     * A large file is read by several tasks, one part each: malformed lines are counted wherever they lie,
     * and of a customer_id written twice the later line wins, also when it lies in a later part.
     */
    @Test
    void aFileReadInManyPartsCountsMalformedLinesAndKeepsTheLastLineOfARepeatedId() throws IOException {
        List<String> lines = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 300; i++) {
            lines.add(String.format("C%03d,Old,%d,Paris", i, 20 + i % 60));
        }
        for (int i = 1; i <= 300; i++) {
            if (i % 3 == 0) {
                lines.add(String.format("C%03d,New,%d,Rome", i, 30 + i % 60)); // 100 repeats, in later parts
            }
            if (i % 30 == 0) {
                lines.add(String.format("C%03d,Bad,thirty,Oslo", i)); // 10 malformed lines, spread out
            }
            expected.add(i % 3 == 0 ? String.format("[C%03d,New,%d,Rome]", i, 30 + i % 60)
                    : String.format("[C%03d,Old,%d,Paris]", i, 20 + i % 60));
        }
        Path file = settledFile(lines);
        assertTrue(Files.size(file) > 20 * PART_BYTES, "the file is not read in many parts: " + Files.size(file));

        SparkSession spark = LocalSpark.session();
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", PART_BYTES);
        try {
            CustomerTable table = CustomerTable.load(spark, file.toString());

            assertEquals(expected, rows(table.current()));
            assertEquals(10, table.malformedLines());
            assertEquals(100, table.repeatedLines());
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
        }
    }

    @Test
    void aMissingFileStopsTheAppBeforeItStarts() {
        String missing = dir.resolve("customer.csv").toString();

        StartupException error = assertThrows(StartupException.class,
                () -> CustomerTable.load(LocalSpark.session(), missing));

        assertEquals("customer file not found: " + missing, error.getMessage());
    }

    /** customer.csv with these customers, last changed a minute ago: settled, so it loads at once. */
    private Path settledFile(List<String> customers) throws IOException {
        Path file = Files.writeString(dir.resolve("customer.csv"), content(customers));
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
        return file;
    }

    private static String content(List<String> customers) {
        return HEADER + "\n" + String.join("\n", customers) + "\n";
    }

    private static List<String> rows(Dataset<Row> customers) {
        return customers.orderBy("customer_id").collectAsList().stream().map(Row::toString).toList();
    }
}
