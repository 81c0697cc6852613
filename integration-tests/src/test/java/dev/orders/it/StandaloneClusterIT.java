package dev.orders.it;

import static dev.orders.it.ChildProcessPipeline.PRODUCER_BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.it.ChildProcessPipeline.App;
import dev.orders.local.LocalSparkCluster;
import dev.orders.local.ProjectLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both shaded jars on a real Spark standalone cluster (a Master and two Workers of one core each, JVMs of
 * their own, from {@link LocalSparkCluster}), submitted in client mode through Spark's SparkSubmit with
 * nothing but Spark's jars beside them: executors in JVMs of their own that fetch the app jar from the
 * driver, a topic of 4 partitions and 4 state partitions spread over both. The producer is killed with
 * SIGKILL mid-run and restarted on the cluster; every order line still reaches the json output once, with
 * the customer version it was joined with.
 */
@Timeout(value = 20, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
    private static final Duration APP_TIMEOUT = Duration.ofMinutes(5);
    private static final int PARTITIONS = 4;

    private static LocalSparkCluster cluster;

    private final TestKafka kafka = TestKafka.local();

    @BeforeAll
    static void startCluster() throws Exception {
        ProjectLayout layout = new ProjectLayout(Path.of(System.getProperty("orders.project.dir", "..")));
        cluster = LocalSparkCluster.start(layout, 2, 1, "1g", 0);
        System.out.printf("cluster: master %s, web UI %s, folder %s%n", cluster.masterUrl(), cluster.webUiUrl(),
                cluster.workDir());
    }

    @AfterAll
    static void stopCluster() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void producerKilledAndRestartedOnTheClusterAndEachLineReachesTheOutputOnceFromBothExecutors(@TempDir Path root)
            throws Exception {
        int driverUiPort = freePort();
        List<String> submitOptions = List.of("--master", cluster.masterUrl(), "--deploy-mode", "client",
                "--total-executor-cores", "2", "--executor-memory", "512m",
                // The apps never run at the same time here, so one fixed port serves each driver's REST API.
                "--conf", "spark.ui.port=" + driverUiPort,
                // Jobs wait for both executors, so that both get tasks from the first batch on.
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0");
        PipelineFolders folders = new PipelineFolders(root);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, kafka, PARTITIONS, submitOptions)) {
            // PipelineScenarios' rewritten customer file: order_a is joined with the first version, order_b
            // and everything after with the second.
            folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin", "C3,Chloé,25,Lyon");
            App killed = pipeline.startProducer("--trigger-interval", "1s", "--max-files-per-trigger", "1");
            folders.addOrderFile("order_a.csv", "A1,1,C1,Tea,3.20,2024-06-01 08:00:00,2");
            killed.awaitLines(PRODUCER_BATCH, 1, APP_TIMEOUT);
            folders.writeCustomers("C1,Alice,31,Marseille", "C2,Bob,41,Berlin", "C3,Chloé,25,Lyon");
            folders.addOrderFile("order_b.csv", "B1,1,C1,Tea,3.20,2024-06-01 08:01:00,1");
            killed.awaitLines(PRODUCER_BATCH, 2, APP_TIMEOUT);

            addInOrder(folders, Map.of(
                    "order_c1.csv", List.of("D1,1,C2,Lamp,0.10,2024-06-01 08:02:00,7",
                            "D1,2,C3,Book,12.50,2024-06-01 08:02:00,1"),
                    "order_c2.csv", List.of("D2,1,C1,Pen,2.00,2024-06-01 08:03:00,5",
                            "D2,2,C2,Desk,249.99,2024-06-01 08:03:00,4"),
                    "order_c3.csv", List.of("D3,1,C3,Widget,19.99,2024-06-01 08:04:00,3",
                            "D3,2,C1,Gadget,1234567.89,2024-06-01 08:04:00,2"),
                    "order_c4.csv", List.of("D4,1,C2,Mug,7.25,2024-06-01 08:05:00,4",
                            "D4,2,C3,Chair,98.60,2024-06-01 08:05:00,1")));
            List<String> expected = List.of(
                    "A1|1|C1|Alice|30|Paris|Tea|3.20|2024-06-01T08:00:00Z|2|6.40",
                    "B1|1|C1|Alice|31|Marseille|Tea|3.20|2024-06-01T08:01:00Z|1|3.20",
                    "D1|1|C2|Bob|41|Berlin|Lamp|0.10|2024-06-01T08:02:00Z|7|0.70",
                    "D1|2|C3|Chloé|25|Lyon|Book|12.50|2024-06-01T08:02:00Z|1|12.50",
                    "D2|1|C1|Alice|31|Marseille|Pen|2.00|2024-06-01T08:03:00Z|5|10.00",
                    "D2|2|C2|Bob|41|Berlin|Desk|249.99|2024-06-01T08:03:00Z|4|999.96",
                    "D3|1|C3|Chloé|25|Lyon|Widget|19.99|2024-06-01T08:04:00Z|3|59.97",
                    "D3|2|C1|Alice|31|Marseille|Gadget|1234567.89|2024-06-01T08:04:00Z|2|2469135.78",
                    "D4|1|C2|Bob|41|Berlin|Mug|7.25|2024-06-01T08:05:00Z|4|29.00",
                    "D4|2|C3|Chloé|25|Lyon|Chair|98.60|2024-06-01T08:05:00Z|1|98.60");

            // Killed once its 4th batch (order_c2) is published, as in CrashRecoveryIT.
            killed.awaitLines(PRODUCER_BATCH, 4, APP_TIMEOUT);
            killed.kill();
            List<Matcher> beforeKill = killed.matches(PRODUCER_BATCH);
            long lastLogged = batchIds(beforeKill).get(beforeKill.size() - 1);
            Path checkpoint = folders.checkpoint("producer");
            // A kill after the batch's commit (the usual case) leaves what a kill between the Kafka write and
            // the commit would once the commit is removed: the batch is sent again after the restart.
            if (!Files.exists(checkpoint.resolve("offsets").resolve(Long.toString(lastLogged + 1)))) {
                Files.deleteIfExists(checkpoint.resolve("commits").resolve(Long.toString(lastLogged)));
                System.out.printf("commit %d removed: the kill came after it%n", lastLogged);
            }

            App restarted = pipeline.startProducer("--available-now").assertExitsZero(APP_TIMEOUT);
            List<Matcher> afterRestart = restarted.matches(PRODUCER_BATCH);
            long firstAfterRestart = batchIds(afterRestart).get(0);
            long messages = kafka.readAll(folders.topic).size();
            String report = String.format("producer batches %s before the kill, %s after the restart; %d messages "
                    + "for %d order lines", batchIds(beforeKill), batchIds(afterRestart), messages, expected.size());
            System.out.println(report);
            // The restart resumed from the checkpoint: the batch the kill interrupted, or the next one.
            assertTrue(firstAfterRestart == lastLogged || firstAfterRestart == lastLogged + 1, report);
            if (firstAfterRestart == lastLogged) {
                assertEquals(beforeKill.get(beforeKill.size() - 1).group(2), afterRestart.get(0).group(2), report);
                assertTrue(messages > expected.size(), "the re-run batch was published again: " + report);
            }
            assertEquals(new TreeSet<>(List.of("order_a.csv", "order_b.csv", "order_c1.csv", "order_c2.csv",
                    "order_c3.csv", "order_c4.csv")), Stream.concat(beforeKill.stream(), afterRestart.stream())
                            .flatMap(m -> Arrays.stream(m.group(2).split(", ")))
                            .collect(Collectors.toCollection(TreeSet::new)), report);

            // The consumer keeps running, so that its driver's REST API can be asked once the output is complete.
            App consumer = pipeline.startConsumer("--trigger-interval", "1s", "--shuffle-partitions",
                    String.valueOf(PARTITIONS));
            pipeline.awaitOutputContaining(keysOf(expected), APP_TIMEOUT, consumer);
            DriverRestApi driver = new DriverRestApi(driverUiPort);
            List<DriverRestApi.Executor> executors = driver.executors(driver.applicationId());
            System.out.println("consumer executors: " + executors);
            List<DriverRestApi.Executor> onWorkers = executors.stream().filter(e -> !e.isDriver()).toList();
            assertEquals(2, onWorkers.size(), executors::toString);
            assertTrue(onWorkers.stream().allMatch(e -> e.totalTasks() > 0 && e.failedTasks() == 0),
                    executors::toString);
            consumer.stop(APP_TIMEOUT);

            // Each order line exactly once, whatever the producer published twice.
            assertEquals(expected, InProcessPipeline.outputOf(folders.output));
        }

        // The three runs (killed producer, restarted producer, consumer) each had executors on the Workers,
        // and none of them logged an exception.
        Map<String, List<String>> problems = executorLogProblems();
        System.out.println("executor logs (stderr) and their exception lines: " + problems);
        assertEquals(3, problems.keySet().stream().map(log -> log.split("/")[0]).distinct().count(),
                problems::toString);
        assertTrue(problems.values().stream().allMatch(List::isEmpty), problems::toString);
    }

    /** Moves the files in, each with a modification time after the one before: Spark reads them in that order. */
    private static void addInOrder(PipelineFolders folders, Map<String, List<String>> files) throws IOException {
        Instant time = Instant.now().minusSeconds(60);
        for (Map.Entry<String, List<String>> file : new TreeMap<>(files).entrySet()) {
            Path added = folders.addOrderFile(file.getKey(), file.getValue().toArray(String[]::new));
            Files.setLastModifiedTime(added, FileTime.from(time));
            time = time.plusSeconds(1);
        }
    }

    /**
     * Each executor's stderr under the Workers' folders ({@code <app id>/<executor id>/stderr}), with its
     * lines that tell of an exception or an error.
     */
    private static Map<String, List<String>> executorLogProblems() throws IOException {
        Map<String, List<String>> problems = new TreeMap<>();
        for (Path workerDir : cluster.workerDirs()) {
            try (Stream<Path> files = Files.walk(workerDir, 3)) {
                for (Path stderr : files.filter(f -> f.getFileName().toString().equals("stderr")).toList()) {
                    problems.put(workerDir.relativize(stderr).toString(), Files.readAllLines(stderr,
                            StandardCharsets.UTF_8).stream()
                            .filter(line -> line.contains("Exception") || line.contains("Error:")).toList());
                }
            }
        }
        return problems;
    }

    private static List<String> keysOf(List<String> rows) {
        return rows.stream().map(row -> row.split("\\|")).map(f -> f[0] + "|" + f[1] + "|" + f[8]).sorted().toList();
    }

    private static List<Long> batchIds(List<Matcher> batchLines) {
        return batchLines.stream().map(m -> Long.parseLong(m.group(1))).toList();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
