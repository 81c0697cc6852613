package dev.orders.it;

import static dev.orders.it.ChildProcessPipeline.CONSUMER_BATCH;
import static dev.orders.it.ChildProcessPipeline.PRODUCER_BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.it.ChildProcessPipeline.App;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apps killed as kill -9 would (a crash, an OOM kill, a lost container) in the middle of their work,
 * then started again on the same checkpoint: every order line still reaches the json sink exactly once.
 * The producer's Kafka sink is at-least-once, so a producer batch re-run after the crash is published
 * twice and the consumer's deduplication removes the repeats; the json sink is exactly-once through its
 * checkpoint and metadata log, so a consumer batch re-run after the crash is not written twice.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {
    private static final Duration APP_TIMEOUT = Duration.ofMinutes(5);
    /** The checkpoint of the consumer's orders query, under the consumer's --checkpoint-dir. */
    private static final String CONSUMER_ORDERS = "consumer/orders";

    private final TestKafka kafka = TestKafka.local();

    @Test
    void producerKilledInTheMiddleOfItsBatchesPublishesEveryLineAndTheOutputHoldsEachOnce(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, kafka)) {
            List<Path> files = pipeline.generateCleanOrders(1_800, 15, 7);
            List<String> expected = ChildProcessPipeline.keysOf(files);
            assertEquals(1_800, expected.size());
            assertEquals(1_800, new HashSet<>(expected).size(), "the generated order lines are not unique");
            Set<String> fileNames = files.stream().map(f -> f.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
            pipeline.addOrderFiles(files);

            // One file per batch, a batch a second: killed once its 3rd batch is published.
            App killed = pipeline.startProducer("--trigger-interval", "1s", "--max-files-per-trigger", "1");
            killed.awaitLines(PRODUCER_BATCH, 3, APP_TIMEOUT);
            killed.kill();
            List<Matcher> beforeKill = killed.matches(PRODUCER_BATCH);
            System.out.printf("producer killed after logging batches %s; checkpoint offsets %s, commits %s%n",
                    batchIds(beforeKill), pipeline.checkpointLog("producer", "offsets"),
                    pipeline.checkpointLog("producer", "commits"));
            // A batch logs its line once written to Kafka, and commits a few milliseconds later: the kill
            // mostly lands after the commit, between batches. When it did, the batch's commit is removed: that
            // is what a kill between the write and the commit leaves, the window in which a batch is re-sent.
            String lastLogged = Long.toString(batchIds(beforeKill).get(beforeKill.size() - 1));
            Path producerLog = folders.checkpoint("producer");
            if (!Files.exists(producerLog.resolve("offsets").resolve(Long.toString(Long.parseLong(lastLogged) + 1)))) {
                Files.deleteIfExists(producerLog.resolve("commits").resolve(lastLogged));
                System.out.printf("commit %s removed: the kill came after it%n", lastLogged);
            }

            // The rest in fewer batches: the interrupted batch is re-run with its own files first.
            App restarted = pipeline.startProducer("--available-now", "--max-files-per-trigger", "5")
                    .assertExitsZero(APP_TIMEOUT);
            List<Matcher> afterRestart = restarted.matches(PRODUCER_BATCH);
            System.out.printf("restarted producer logged batches %s%n", batchIds(afterRestart));

            pipeline.runConsumer();

            // Every order line exactly once, whatever the producer published twice.
            assertEquals(expected, pipeline.outputKeys());

            long messages = kafka.readAll(folders.topic).size();
            long publishedInLoggedBatches = Stream.concat(beforeKill.stream(), afterRestart.stream())
                    .mapToLong(m -> Long.parseLong(m.group(4))).sum();
            long lastLoggedBeforeKill = batchIds(beforeKill).get(beforeKill.size() - 1);
            long firstAfterRestart = batchIds(afterRestart).get(0);
            String report = String.format("%d order lines; %d messages in the topic; the two producer runs logged "
                    + "%d published in batches %s and %s (first batch after the restart: %d, %s)",
                    expected.size(), messages, publishedInLoggedBatches, batchIds(beforeKill), batchIds(afterRestart),
                    firstAfterRestart, firstAfterRestart == lastLoggedBeforeKill
                            ? "batch " + lastLoggedBeforeKill + " re-sent: its commit was missing"
                            : "nothing re-sent: the kill came between batches");
            System.out.println(report);
            assertTrue(messages >= expected.size(), report);
            // A logged batch was written to Kafka (acks=all) before its line: all are in the topic, re-runs too.
            assertTrue(messages >= publishedInLoggedBatches, report);
            // The restart resumed from the checkpoint: the batch the kill interrupted, or the next one.
            assertTrue(firstAfterRestart == lastLoggedBeforeKill || firstAfterRestart == lastLoggedBeforeKill + 1,
                    report);
            if (firstAfterRestart == lastLoggedBeforeKill) {
                // A re-run batch reads the files its first run read, and publishes them again.
                assertEquals(beforeKill.get(beforeKill.size() - 1).group(2), afterRestart.get(0).group(2), report);
                assertTrue(messages > expected.size(), report);
            }
            // Between them, the two runs published every file.
            assertEquals(fileNames, Stream.concat(beforeKill.stream(), afterRestart.stream())
                    .flatMap(m -> Arrays.stream(m.group(2).split(", ")))
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
    }

    @Test
    void consumerKilledWhileOrdersArriveResumesAndTheOutputHoldsEachLineOnce(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, kafka)) {
            List<Path> files = pipeline.generateCleanOrders(1_800, 16, 8);
            List<String> expected = ChildProcessPipeline.keysOf(files);
            assertEquals(1_800, new HashSet<>(expected).size(), "the generated order lines are not unique");

            pipeline.addOrderFiles(files.subList(0, 8));
            pipeline.startProducer("--available-now", "--max-files-per-trigger", "8").assertExitsZero(APP_TIMEOUT);

            App killed = pipeline.startConsumer("--trigger-interval", "1s");
            killed.awaitLines(CONSUMER_BATCH, 1, APP_TIMEOUT);

            // The second half published while the consumer runs; the consumer killed in the middle of the
            // first batch that reads new messages (planned in its offset log, not committed), or right after
            // the producer's end if none starts before.
            pipeline.addOrderFiles(files.subList(8, 16));
            App producer = pipeline.startProducer("--available-now", "--max-files-per-trigger", "2");
            long deadline = System.nanoTime() + APP_TIMEOUT.toNanos();
            while (producer.isAlive() && dataBatchInFlight(pipeline) < 0) {
                assertTrue(killed.isAlive(), () -> killed + " exited on its own:\n" + killed.tail());
                assertTrue(System.nanoTime() < deadline, "no consumer batch, and no end of the producer");
                Thread.sleep(20);
            }
            killed.kill();
            List<Matcher> beforeKill = killed.matches(CONSUMER_BATCH);
            long interrupted = dataBatchInFlight(pipeline);
            System.out.printf("consumer killed after logging batches %s, %s; checkpoint offsets %s, commits %s%n",
                    batchIds(beforeKill), interrupted >= 0 ? "in the middle of batch " + interrupted
                            : "between batches, the producer " + (producer.isAlive() ? "still running" : "done"),
                    pipeline.checkpointLog("consumer", "orders/offsets"),
                    pipeline.checkpointLog("consumer", "orders/commits"));
            producer.assertExitsZero(APP_TIMEOUT);
            assertEquals(expected.size(), kafka.readAll(folders.topic).size(),
                    "the producer runs were not interrupted: each line is published once");

            App restarted = pipeline.runConsumer();
            List<Matcher> afterRestart = restarted.matches(CONSUMER_BATCH);
            System.out.printf("restarted consumer logged batches %s (messages in: %s); %d json lines in the part "
                    + "files on disk%n", batchIds(afterRestart),
                    afterRestart.stream().map(m -> m.group(2)).toList(), jsonLinesOnDisk(folders.output));

            // Every order line exactly once: a batch the kill interrupted was run again, and only its
            // committed files count.
            assertEquals(expected, pipeline.outputKeys());
            // The restart resumed after the last batch the killed run committed (logged lines come after the
            // commit), instead of starting over.
            long lastCommitted = batchIds(beforeKill).get(beforeKill.size() - 1);
            assertTrue(batchIds(afterRestart).stream().allMatch(id -> id > lastCommitted),
                    () -> "batches " + batchIds(afterRestart) + " after the restart, " + lastCommitted
                            + " committed before the kill");
            if (interrupted >= 0) {
                // The interrupted batch is run again first, over exactly the messages it had planned.
                long planned = pipeline.plannedKafkaOffset(CONSUMER_ORDERS, interrupted)
                        - (interrupted == 0 ? 0 : pipeline.plannedKafkaOffset(CONSUMER_ORDERS, interrupted - 1));
                assertEquals(List.of(interrupted, planned), List.of(batchIds(afterRestart).get(0),
                        Long.parseLong(afterRestart.get(0).group(2))), "re-run batch id and messages in");
            }
        }
    }

    /**
     * The consumer's batch whose messages are planned (offset log) but not committed, if it reads new
     * messages; -1 if there is none.
     */
    private static long dataBatchInFlight(ChildProcessPipeline pipeline) {
        List<String> offsets = pipeline.checkpointLog("consumer", "orders/offsets");
        if (offsets.isEmpty()) {
            return -1;
        }
        long last = Long.parseLong(offsets.get(offsets.size() - 1));
        if (pipeline.checkpointLog("consumer", "orders/commits").contains(Long.toString(last))) {
            return -1;
        }
        long before = last == 0 ? 0 : pipeline.plannedKafkaOffset(CONSUMER_ORDERS, last - 1);
        return pipeline.plannedKafkaOffset(CONSUMER_ORDERS, last) > before ? last : -1;
    }

    private static List<Long> batchIds(List<Matcher> batchLines) {
        return batchLines.stream().map(m -> Long.parseLong(m.group(1))).toList();
    }

    /** The json lines in the sink's part files, committed or not. */
    private static long jsonLinesOnDisk(Path output) throws IOException {
        try (Stream<Path> files = Files.list(output)) {
            long lines = 0;
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("part-")).toList()) {
                lines += Files.readAllLines(file, StandardCharsets.UTF_8).size();
            }
            return lines;
        }
    }
}
