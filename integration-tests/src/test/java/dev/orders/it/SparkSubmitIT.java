package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.local.SparkApp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shaded jars as a cluster runs them: each through Spark's own SparkSubmit, in a JVM of its own with
 * nothing but Spark's jars beside it. Passes only if the jars carry everything Spark does not (the Kafka
 * connector, kafka-clients, orders-common).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SparkSubmitIT {
    private final SparkSubmitRunner runner = new SparkSubmitRunner();

    @Test
    void bothJarsRunUnderSparkSubmitWithOnlySparksJars(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
        folders.addOrderFile("order_1.csv",
                "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                "O2,1,C2,Lamp,0.10,2024-05-01 10:01:00,7",
                "O3,1,C7,Ghost,1.00,2024-05-01 10:02:00,1");

        submit(SparkApp.PRODUCER, root.resolve("producer.log"), pipeline.producerArgs("--available-now"));
        submit(SparkApp.CONSUMER, root.resolve("consumer.log"), pipeline.consumerArgs("--available-now"));

        assertEquals(List.of(
                "O1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:00:00Z|3|59.97",
                "O2|1|C2|Bob|41|Berlin|Lamp|0.10|2024-05-01T10:01:00Z|7|0.70"),
                pipeline.output());
        assertEquals(List.of("unknown_customer"),
                pipeline.deadLetters().stream().map(letter -> letter.get("reason").asText()).toList());
    }

    private void submit(SparkApp app, Path log, String... appArgs) throws IOException, InterruptedException {
        SparkSubmitRunner.Result result = runner.start(app, log, Map.of(), List.of(appArgs))
                .await(Duration.ofMinutes(5));
        assertEquals(0, result.exitCode(), result::tail);
    }
}
