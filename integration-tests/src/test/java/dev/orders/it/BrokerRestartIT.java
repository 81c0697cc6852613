package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.it.ChildProcessPipeline.App;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker killed as kill -9 would, while both apps run, and started again on its port and data: the
 * running apps carry on by themselves, and every order line, those that landed while the broker was down
 * included, reaches the json sink exactly once.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class BrokerRestartIT {
    private static final Duration OUTPUT_TIMEOUT = Duration.ofMinutes(5);

    @RegisterExtension
    static final PrivateBroker broker = new PrivateBroker();

    @Test
    void runningAppsRecoverFromABrokerCrashAndEveryLineReachesTheOutputOnce(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, broker.kafka())) {
            List<Path> files = pipeline.generateCleanOrders(1_600, 16, 9);
            List<Path> firstHalf = files.subList(0, 8);
            List<Path> secondHalf = files.subList(8, 16);
            List<String> expectedFirstHalf = ChildProcessPipeline.keysOf(firstHalf);
            List<String> expected = ChildProcessPipeline.keysOf(files);
            assertEquals(1_600, expected.size());

            pipeline.addOrderFiles(firstHalf);
            App producer = pipeline.startProducer("--trigger-interval", "1s");
            App consumer = pipeline.startConsumer("--trigger-interval", "1s");
            assertEquals(expectedFirstHalf,
                    pipeline.awaitOutputContaining(expectedFirstHalf, OUTPUT_TIMEOUT, producer, consumer));

            broker.kill();
            assertFalse(broker.isAlive(), "the broker survived SIGKILL");
            pipeline.addOrderFiles(secondHalf);
            long down = System.nanoTime();
            broker.restart();
            System.out.printf("broker down for %d ms (restart included); producer %s, consumer %s%n",
                    Duration.ofNanos(System.nanoTime() - down).toMillis(), producer.isAlive() ? "alive" : "dead",
                    consumer.isAlive() ? "alive" : "dead");
            assertTrue(producer.isAlive(), () -> producer + " died while the broker was down:\n" + producer.tail());
            assertTrue(consumer.isAlive(), () -> consumer + " died while the broker was down:\n" + consumer.tail());

            // The same JVMs, never restarted, bring the second half through.
            long back = System.nanoTime();
            pipeline.awaitOutputContaining(expected, OUTPUT_TIMEOUT, producer, consumer);
            System.out.printf("all %d lines in the output %d s after the broker came back%n", expected.size(),
                    Duration.ofNanos(System.nanoTime() - back).toSeconds());
            assertTrue(producer.isAlive(), () -> producer + " exited:\n" + producer.tail());
            assertTrue(consumer.isAlive(), () -> consumer + " exited:\n" + consumer.tail());
            producer.kill();
            consumer.kill();

            System.out.printf("%d messages in the topic for %d order lines; warnings and errors logged: producer %d,"
                    + " consumer %d%n", broker.kafka().readAll(folders.topic).size(), expected.size(),
                    producer.matches(ChildProcessPipeline.WARNING).size(),
                    consumer.matches(ChildProcessPipeline.WARNING).size());
            for (App app : List.of(producer, consumer)) {
                app.logLines().stream().filter(line -> ChildProcessPipeline.WARNING.matcher(line).find())
                        .map(line -> line.substring(13)).filter(line -> !line.contains("is falling behind"))
                        .distinct().limit(20)
                        .forEach(line -> System.out.println(app.app.module() + ": " + line));
            }
            // Each line exactly once, whatever the apps re-sent or re-read around the outage.
            assertEquals(expected, pipeline.outputKeys());
        }
    }
}
