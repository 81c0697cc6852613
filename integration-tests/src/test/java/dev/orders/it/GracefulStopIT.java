package dev.orders.it;

import static dev.orders.it.ChildProcessPipeline.CONSUMER_BATCH;
import static dev.orders.it.ChildProcessPipeline.PRODUCER_BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.it.ChildProcessPipeline.App;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM while a batch runs: the app lets the batch finish and commit, stops its queries and exits 0;
 * started again on the same checkpoint it re-sends nothing.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class GracefulStopIT {
    private static final Duration APP_TIMEOUT = Duration.ofMinutes(3);
    /** The stop's last line: {@code stopped between batches; last committed: orders-producer batch 4}. */
    private static final Pattern STOPPED = Pattern.compile("stopped between batches; last committed: (.*)$");
    private static final Pattern STOPPING = Pattern.compile("stopping on SIGTERM: letting the batch in progress finish");

    private final TestKafka kafka = TestKafka.local();

    @Test
    void producerStoppedMidBatchCommitsItAndItsRestartSendsNothingTwice(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, kafka)) {
            List<Path> files = pipeline.generateCleanOrders(6_000, 12, 21);
            List<String> expected = ChildProcessPipeline.keysOf(files);
            pipeline.addOrderFiles(files);

            App producer = pipeline.startProducer("--trigger-interval", "1s");
            producer.awaitLines(PRODUCER_BATCH, 2, APP_TIMEOUT);
            long inFlight = awaitBatchInFlight(pipeline, "producer", producer);
            producer.sigterm();
            assertEquals(0, producer.awaitExit(APP_TIMEOUT), () -> producer + " failed:\n" + producer.tail());

            List<Long> logged = batchIds(producer.matches(PRODUCER_BATCH));
            List<String> commits = pipeline.checkpointLog("producer", "commits");
            String stopped = stopLine(producer);
            System.out.printf("SIGTERM during batch %d; producer logged batches %s, committed %s, offsets %s; %s%n",
                    inFlight, logged, commits, pipeline.checkpointLog("producer", "offsets"), stopped);
            // Every batch that wrote is committed: the one running at the SIGTERM finished first.
            for (long batch : logged) {
                assertTrue(commits.contains(Long.toString(batch)), "batch " + batch + " logged but not committed");
            }
            // The batch running at the SIGTERM either finished (written, logged, committed) or had not begun to
            // write and was left planned, uncommitted, for the restart.
            System.out.printf("batch %d %s%n", inFlight, logged.contains(inFlight) ? "finished before the stop"
                    : "had not begun writing: left to the restart");
            long lastLogged = logged.get(logged.size() - 1);
            assertEquals("orders-producer batch " + lastLogged, stopped);
            long sentBeforeStop = producer.matches(PRODUCER_BATCH).stream().mapToLong(m -> Long.parseLong(m.group(4)))
                    .sum();
            assertEquals(sentBeforeStop, kafka.readAll(folders.topic).size(), "what the stopped run logged as sent");

            App restarted = pipeline.startProducer("--available-now", "--max-files-per-trigger", "6")
                    .assertExitsZero(APP_TIMEOUT);
            assertTrue(batchIds(restarted.matches(PRODUCER_BATCH)).stream().allMatch(id -> id > lastLogged),
                    "the restart ran a committed batch again");
            // Nothing re-sent: exactly one message per order line.
            assertEquals(expected.size(), kafka.readAll(folders.topic).size());
        }
    }

    @Test
    void consumerStoppedMidBatchExitsZeroAndItsRestartCompletesTheOutputExactly(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, kafka)) {
            List<Path> files = pipeline.generateCleanOrders(4_000, 8, 22);
            List<String> expected = ChildProcessPipeline.keysOf(files);
            assertEquals(4_000, new HashSet<>(expected).size(), "the generated order lines are not unique");
            pipeline.addOrderFiles(files);
            pipeline.startProducer("--available-now", "--max-files-per-trigger", "8").assertExitsZero(APP_TIMEOUT);

            // Small batches, so that the SIGTERM comes while one runs.
            App consumer = pipeline.startConsumer("--trigger-interval", "1s", "--max-offsets-per-trigger", "250");
            consumer.awaitLines(CONSUMER_BATCH, 2, APP_TIMEOUT);
            long inFlight = awaitBatchInFlight(pipeline, "consumer/orders", consumer);
            consumer.sigterm();
            assertEquals(0, consumer.awaitExit(APP_TIMEOUT), () -> consumer + " failed:\n" + consumer.tail());

            List<String> commits = pipeline.checkpointLog("consumer", "orders/commits");
            String stopped = stopLine(consumer);
            System.out.printf("SIGTERM during batch %d; consumer committed %s, offsets %s; %s%n", inFlight, commits,
                    pipeline.checkpointLog("consumer", "orders/offsets"), stopped);
            assertTrue(commits.contains(Long.toString(inFlight)), "the batch running at the SIGTERM did not commit");
            Matcher last = Pattern.compile("orders-consumer batch (\\d+)").matcher(stopped);
            assertTrue(last.find(), stopped);
            assertEquals(commits.get(commits.size() - 1), last.group(1), "the last committed batch the stop names");
            List<String> partial = pipeline.outputKeys();
            assertTrue(expected.containsAll(partial) && partial.size() == new HashSet<>(partial).size(),
                    "the stopped run's output holds order lines once each");

            pipeline.runConsumer();
            assertEquals(expected, pipeline.outputKeys());
            assertEquals(0, kafka.readAll(folders.deadLetterTopic).size());
        }
    }

    /** The batch of a query that is planned (offset log) and not yet committed, once there is one. */
    private static long awaitBatchInFlight(ChildProcessPipeline pipeline, String query, App app)
            throws InterruptedException {
        long deadline = System.nanoTime() + APP_TIMEOUT.toNanos();
        while (true) {
            List<String> offsets = pipeline.checkpointLog(query, "offsets");
            List<String> commits = pipeline.checkpointLog(query, "commits");
            if (!offsets.isEmpty() && !commits.contains(offsets.get(offsets.size() - 1))) {
                return Long.parseLong(offsets.get(offsets.size() - 1));
            }
            assertTrue(app.isAlive(), () -> app + " exited:\n" + app.tail());
            assertTrue(System.nanoTime() < deadline, "no batch of " + query + " in flight within the timeout");
            Thread.sleep(5);
        }
    }

    /** What the app's last stop line says was committed; fails unless it logged the start and the end of a clean stop. */
    private static String stopLine(App app) {
        assertEquals(1, app.matches(STOPPING).size(), () -> "no stop line:\n" + app.tail());
        List<Matcher> stopped = app.matches(STOPPED);
        assertEquals(1, stopped.size(), () -> "no clean stop line:\n" + app.tail());
        return stopped.get(0).group(1);
    }

    private static List<Long> batchIds(List<Matcher> batchLines) {
        return batchLines.stream().map(m -> Long.parseLong(m.group(1))).toList();
    }
}
