package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.it.ChildProcessPipeline.App;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker down for longer than the Kafka clients' timeouts while both apps run: their queries fail, and
 * the apps restart them with a growing wait until the broker is back on the same data; the same JVMs then
 * bring every order line to the output once, and every rejected line to the dead-letter topic once.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaOutageIT {
    private static final Duration OUTPUT_TIMEOUT = Duration.ofMinutes(4);
    /** Short client timeouts, so that the outage fails the queries within seconds rather than minutes. */
    private static final String[] QUICK_TIMEOUTS = {
        "--kafka-timeout", "8s",
        "--kafka-option", "max.block.ms=8000",
        "--kafka-option", "request.timeout.ms=8000",
        "--kafka-option", "delivery.timeout.ms=16000",
        "--kafka-option", "default.api.timeout.ms=8000"};
    /** One line per restart: {@code orders-producer: orders-producer failed on a retriable Kafka error (...)}. */
    private static final Pattern RESTART = Pattern.compile(
            "QuerySupervisor: orders-(producer|consumer): .* on a retriable Kafka error \\(.*\\); restarting from the"
                    + " checkpoint in ");
    private static final Pattern GAVE_UP = Pattern.compile("QuerySupervisor: orders-producer: giving up: Kafka has"
            + " been unavailable for \\d+ \\w+ \\(--max-outage 20 seconds\\), \\d+ restarts did not help; last"
            + " error: .*");
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+at ");

    @RegisterExtension
    static final PrivateBroker broker = new PrivateBroker();

    @Test
    void bothAppsRestartTheirQueriesThroughABrokerOutageAndEveryLineArrivesOnce(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, broker.kafka())) {
            List<Path> files = pipeline.generateCleanOrders(400, 4, 31);
            List<Path> firstHalf = files.subList(0, 2);
            List<String> expectedFirstHalf = ChildProcessPipeline.keysOf(firstHalf);
            List<String> expected = ChildProcessPipeline.keysOf(files);

            pipeline.addOrderFiles(firstHalf);
            App producer = pipeline.startProducer(withQuickTimeouts("--trigger-interval", "1s"));
            App consumer = pipeline.startConsumer(withQuickTimeouts("--trigger-interval", "1s",
                    "--dead-letter-trigger-interval", "1s"));
            assertEquals(expectedFirstHalf,
                    pipeline.awaitOutputContaining(expectedFirstHalf, OUTPUT_TIMEOUT, producer, consumer));

            broker.kill();
            assertFalse(broker.isAlive(), "the broker survived SIGKILL");
            long down = System.nanoTime();
            pipeline.addOrderFiles(files.subList(2, 4));
            String unknownCustomer = "O9000001,1,C99999,Chair,10.00,2024-05-01 08:00:00,1";
            String malformed = "O9000002,1,C00001,Widget,12.50,2024-05-01 08:00:01,two";
            folders.addOrderFile("order_rejects.csv", unknownCustomer, malformed);

            // Each app's queries fail, and a restart finds no broker either: two restarts logged by each.
            producer.awaitLines(RESTART, 2, OUTPUT_TIMEOUT);
            consumer.awaitLines(RESTART, 2, OUTPUT_TIMEOUT);
            broker.restart();
            System.out.printf("broker down for %d s; restarts logged so far: producer %d, consumer %d%n",
                    Duration.ofNanos(System.nanoTime() - down).toSeconds(), producer.matches(RESTART).size(),
                    consumer.matches(RESTART).size());

            // The same JVMs, never restarted from outside, bring the second half through.
            long back = System.nanoTime();
            pipeline.awaitOutputContaining(expected, OUTPUT_TIMEOUT, producer, consumer);
            System.out.printf("all %d lines in the output %d s after the broker came back%n", expected.size(),
                    Duration.ofNanos(System.nanoTime() - back).toSeconds());
            List<String> rejects = awaitDeadLetters(folders.deadLetterTopic, 2, producer, consumer);
            producer.sigterm();
            consumer.sigterm();
            assertEquals(0, producer.awaitExit(OUTPUT_TIMEOUT), () -> producer.tail());
            assertEquals(0, consumer.awaitExit(OUTPUT_TIMEOUT), () -> consumer.tail());

            for (App app : List.of(producer, consumer)) {
                System.out.printf("%s: %d WARN or ERROR lines, %d stack frames in its log%n", app.app.module(),
                        app.matches(ChildProcessPipeline.WARNING).size(), app.matches(STACK_FRAME).size());
                app.matches(RESTART).forEach(line -> System.out.println(app.app.module() + ": " + line.group()));
                // A known retriable error is one line, not a stack trace, in the app's own lines.
                List<String> lines = app.logLines();
                for (int i = 1; i < lines.size(); i++) {
                    if (STACK_FRAME.matcher(lines.get(i)).find()) {
                        assertFalse(lines.get(i - 1).contains("QuerySupervisor"), "a stack trace after " + lines.get(i - 1));
                    }
                }
            }
            // Each line exactly once, whatever the restarts re-ran.
            assertEquals(expected, pipeline.outputKeys());
            assertEquals(List.of("malformed_order|" + malformed, "unknown_customer|" + unknownCustomer), rejects);
            assertEquals(2, broker.kafka().readAll(folders.deadLetterTopic).size(), "each rejected line sent once");
        }
    }

    @Test
    void anOutageLongerThanMaxOutageEndsTheAppWithOneLineAndExitCode1(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, broker.kafka())) {
            List<Path> files = pipeline.generateCleanOrders(200, 2, 32);
            pipeline.addOrderFiles(files.subList(0, 1));
            App producer = pipeline.startProducer(withQuickTimeouts("--trigger-interval", "1s", "--max-outage", "20s"));
            producer.awaitLines(ChildProcessPipeline.PRODUCER_BATCH, 1, OUTPUT_TIMEOUT);

            broker.kill();
            try {
                pipeline.addOrderFiles(files.subList(1, 2));
                assertEquals(1, producer.awaitExit(OUTPUT_TIMEOUT), () -> producer.tail());
            } finally {
                broker.restart();
            }
            List<Matcher> gaveUp = producer.matches(GAVE_UP);
            assertEquals(1, gaveUp.size(), () -> producer.tail());
            System.out.printf("after %d restarts: %s%n", producer.matches(RESTART).size(), gaveUp.get(0).group());
            assertTrue(producer.matches(RESTART).size() >= 1, () -> producer.tail());
        }
    }

    private static String[] withQuickTimeouts(String... options) {
        String[] all = new String[options.length + QUICK_TIMEOUTS.length];
        System.arraycopy(options, 0, all, 0, options.length);
        System.arraycopy(QUICK_TIMEOUTS, 0, all, options.length, QUICK_TIMEOUTS.length);
        return all;
    }

    /** {@code reason|raw} of the dead letters, sorted, once there are {@code count} of them. */
    private static List<String> awaitDeadLetters(String topic, int count, App... mustRun) throws InterruptedException {
        long deadline = System.nanoTime() + OUTPUT_TIMEOUT.toNanos();
        while (true) {
            List<String> letters = new java.util.ArrayList<>();
            for (var record : broker.kafka().readAll(topic)) {
                letters.add(describe(record.value()));
            }
            if (letters.size() >= count) {
                letters.sort(null);
                return letters;
            }
            for (App app : mustRun) {
                assertTrue(app.isAlive(), () -> app + " exited:\n" + app.tail());
            }
            assertTrue(System.nanoTime() < deadline, "only " + letters + " in the dead-letter topic");
            Thread.sleep(1_000);
        }
    }

    private static String describe(String json) {
        try {
            JsonNode letter = new ObjectMapper().readTree(json);
            return letter.get("reason").asText() + "|" + letter.get("raw").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
