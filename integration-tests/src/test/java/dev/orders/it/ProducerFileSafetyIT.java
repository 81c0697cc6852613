package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orders.common.LocalSpark;
import dev.orders.common.options.ProducerOptions;
import dev.orders.producer.BatchReport;
import dev.orders.producer.IgnoredOrderFile;
import dev.orders.producer.OrdersProducer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Order files the producer must neither half-publish nor skip without a word, against the real broker: a
 * file caught while its writer paused, a file landed with an old modification time, a file landed again
 * under a name already read.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ProducerFileSafetyIT {
    private static final String CUT_SHORT =
            "the file's last line has no line end: still being written? land order files by write-then-rename";

    @Test
    void aFileCaughtWhileItsWriterPausedIsNotPublishedButDeadLetteredWholeAndItsFinishedVersionIsReported(
            @TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
        // The writer paused inside E2's quantity: 1 of what will be 15, and E3 not written yet.
        Path cut = folders.orders.resolve("order_1.csv");
        Files.writeString(cut, PipelineFolders.ORDER_HEADER + "\n"
                + "E1,1,C1,Widget,19.99,2024-05-01 10:00:00,3\n"
                + "E2,1,C2,Lamp,5.00,2024-05-01 10:01:00,1");
        folders.addOrderFile("order_2.csv", "O1,1,C1,Widget,19.99,2024-05-01 10:02:00,2");
        setModified(cut, Instant.now().minusSeconds(60)); // read first
        Run first = run(pipeline);

        assertEquals(List.of(
                "order_1.csv: 2 lines, 0 published, {file_changed_while_read=2}",
                "order_2.csv: 1 lines, 1 published, {}"), first.batches());
        assertEquals(List.of("O1"), publishedOrderIds(pipeline));
        assertEquals(List.of(
                "order_1.csv|producer|file_changed_while_read|" + CUT_SHORT + "|E1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                "order_1.csv|producer|file_changed_while_read|" + CUT_SHORT + "|E2,1,C2,Lamp,5.00,2024-05-01 10:01:00,1"),
                deadLetters(pipeline));
        assertEquals(List.of(), first.ignored);

        // The writer finishes. The file source never reads a name twice: the finished file is named, not read.
        long planned = Files.getLastModifiedTime(cut).toMillis();
        Files.writeString(cut, "5\nE3,1,C1,Pen,2.00,2024-05-01 10:03:00,1\n", StandardOpenOption.APPEND);
        Instant finished = setModified(cut, Instant.ofEpochMilli(planned).plusSeconds(30));
        Run second = run(pipeline);

        assertEquals(List.of(), second.batches());
        assertEquals(List.of("order file " + hadoopPath(cut) + " is ignored: a file of that name was processed in"
                + " batch 0 (modified " + Instant.ofEpochMilli(planned) + "); the file source reads a name once:"
                + " land it under a new name"), second.messages());
        assertEquals(IgnoredOrderFile.Reason.NAME_ALREADY_PROCESSED, second.ignored.get(0).reason());
        assertEquals(finished, second.ignored.get(0).modified());
        assertEquals(List.of("O1"), publishedOrderIds(pipeline));
        assertEquals(2, deadLetters(pipeline).size());
    }

    @Test
    void aFileOlderThanTheMaxFileAgeAndAFileLandedAgainUnderAReadNameAreEachReportedOnceAndTheOthersProcessed(
            @TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
        Path order1 = folders.addOrderFile("order_1.csv", "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,1");
        Path order2 = folders.addOrderFile("order_2.csv", "O2,1,C2,Lamp,5.00,2024-05-01 10:01:00,2");
        setModified(order1, t0);
        setModified(order2, t0.plusSeconds(1));
        Run first = run(pipeline, "--max-file-age", "7 days");
        assertEquals(List.of("order_1.csv: 1 lines, 1 published, {}", "order_2.csv: 1 lines, 1 published, {}"),
                first.batches());
        assertEquals(List.of(), first.ignored);

        // Landed later: an export moved in with its old time (8 days before the newest file read), order_1.csv
        // again with other lines, and a new file.
        Path old = folders.addOrderFile("order_old.csv", "O3,1,C1,Pen,2.00,2024-04-23 10:00:00,3");
        Instant oldTime = setModified(old, t0.minus(Duration.ofDays(8)));
        folders.addOrderFile("order_1.csv", "O4,1,C1,Ink,3.50,2024-05-01 10:04:00,1");
        Instant relanded = setModified(order1, t0.plusSeconds(3));
        Path order3 = folders.addOrderFile("order_3.csv", "O5,1,C2,Cup,4.00,2024-05-01 10:05:00,1");
        setModified(order3, t0.plusSeconds(2));
        String reLandedMessage = "order file " + hadoopPath(order1) + " is ignored: a file of that name was"
                + " processed in batch 0 (modified " + t0 + "); the file source reads a name once: land it under"
                + " a new name";

        Run second = run(pipeline, "--max-file-age", "7 days");

        assertEquals(List.of("order_3.csv: 1 lines, 1 published, {}"), second.batches());
        assertEquals(List.of(
                reLandedMessage,
                "order file " + hadoopPath(old) + " is ignored: its modification time " + oldTime + " is more than"
                        + " 7 days older than the newest file processed (" + t0.plusSeconds(1) + "): raise"
                        + " --max-file-age or give it a new modification time"), second.messages());
        assertEquals(List.of(relanded, oldTime), second.ignored.stream()
                .sorted(Comparator.comparing(IgnoredOrderFile::path)).map(IgnoredOrderFile::modified).toList());
        assertEquals(List.of(IgnoredOrderFile.Reason.NAME_ALREADY_PROCESSED, IgnoredOrderFile.Reason.TOO_OLD),
                second.ignored.stream().sorted(Comparator.comparing(IgnoredOrderFile::path))
                        .map(IgnoredOrderFile::reason).toList());

        // With the default --max-file-age (365 days) the old export is read; the re-landed name still is not.
        Run third = run(pipeline);

        assertEquals(List.of("order_old.csv: 1 lines, 1 published, {}"), third.batches());
        assertEquals(List.of(reLandedMessage), third.messages());
        assertEquals(List.of("O1", "O2", "O3", "O5"), publishedOrderIds(pipeline));
        assertEquals(List.of(), pipeline.deadLetters());
    }

    /** What one --available-now run of the producer reported. */
    private record Run(List<BatchReport> reports, List<IgnoredOrderFile> ignored) {
        /** {@code file: N lines, N published, {reason=N}} per batch, in batch order. */
        List<String> batches() {
            return reports.stream().sorted(Comparator.comparingLong(BatchReport::batchId))
                    .map(r -> String.join(",", r.files().stream().map(ProducerFileSafetyIT::fileName).toList())
                            + ": " + r.linesIn() + " lines, " + r.published() + " published, " + r.rejected())
                    .toList();
        }

        List<String> messages() {
            return ignored.stream().map(IgnoredOrderFile::message).sorted().toList();
        }
    }

    private static Run run(InProcessPipeline pipeline, String... extra) throws Exception {
        List<BatchReport> reports = new CopyOnWriteArrayList<>();
        List<IgnoredOrderFile> ignored = new CopyOnWriteArrayList<>();
        String[] args = java.util.stream.Stream.concat(java.util.stream.Stream.of("--available-now"),
                java.util.stream.Stream.of(extra)).toArray(String[]::new);
        new OrdersProducer(LocalSpark.session(), ProducerOptions.parse(pipeline.producerArgs(args), Map.of()),
                reports::add, ignored::add).start().awaitTermination();
        return new Run(List.copyOf(reports), List.copyOf(ignored));
    }

    private static List<String> publishedOrderIds(InProcessPipeline pipeline) {
        return pipeline.publishedOrders().stream().map(order -> order.get("order_id").asText()).sorted().toList();
    }

    /** {@code file|stage|reason|error|raw} of each dead letter, sorted. */
    private static List<String> deadLetters(InProcessPipeline pipeline) {
        return pipeline.deadLetters().stream().map(ProducerFileSafetyIT::describe).sorted().toList();
    }

    private static String describe(JsonNode letter) {
        return String.join("|", fileName(letter.get("source").asText()), letter.get("stage").asText(),
                letter.get("reason").asText(), letter.get("error").asText(), letter.get("raw").asText());
    }

    private static Instant setModified(Path file, Instant time) throws java.io.IOException {
        Files.setLastModifiedTime(file, FileTime.from(time));
        return time;
    }

    /** A local file as Hadoop names it when it lists a folder. */
    private static String hadoopPath(Path file) {
        return new org.apache.hadoop.fs.Path(file.toUri()).toString();
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
