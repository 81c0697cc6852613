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

        // As fast as batches could ask, every table handed out while the file is rewritten; a table is a
        // fixed snapshot of the lines read, so its rows can be collected afterwards.
        List<Dataset<Row>> seen = new ArrayList<>();
        writer.start();
        while (writer.isAlive()) {
            Dataset<Row> customers = table.current();
            if (seen.isEmpty() || seen.get(seen.size() - 1) != customers) {
                seen.add(customers);
            }
            Thread.onSpinWait();
        }
        writer.join();
        Dataset<Row> last = table.current();
        seen.add(last);

        assertNull(writerFailure.get());
        for (Dataset<Row> customers : seen) {
            List<String> rows = rows(customers);
            assertTrue(rows.equals(OLD_ROWS) || rows.equals(NEW_ROWS), "a part of a table: " + rows);
        }
        assertEquals(NEW_ROWS, rows(last));
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
