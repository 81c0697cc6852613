package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.local.ProjectLayout;
import dev.orders.local.SparkApp;
import dev.orders.local.SparkSubmit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    private final ProjectLayout layout = new ProjectLayout(Path.of(System.getProperty("orders.project.dir", "..")));

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
        List<String> command = SparkSubmit.command(layout, app,
                List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false"), List.of(appArgs));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                throw new AssertionError(app + " did not finish within 5 minutes; see " + log);
            }
        } finally {
            process.destroyForcibly();
        }
        assertEquals(0, process.exitValue(), () -> app + " failed:\n" + tail(log));
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
