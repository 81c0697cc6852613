package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.orders.common.JsonFormat;
import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import dev.orders.consumer.OrderTotals;
import dev.orders.local.OrderDataGenerator;
import dev.orders.local.ProjectLayout;
import dev.orders.local.SparkApp;
import dev.orders.local.SparkSubmit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The producer and consumer as a cluster runs them: each shaded jar through Spark's own SparkSubmit in a
 * child JVM of its own, its output in a log file. A test can wait for a line of that log, kill the JVM at
 * that moment as kill -9 would, start it again on the same checkpoint, and read back what reached the
 * json sink.
 */
final class ChildProcessPipeline implements AutoCloseable {
    /** The producer's line per batch: {@code batch 3 [order_4.csv]: 100 lines, 100 published, ...}. */
    static final Pattern PRODUCER_BATCH = Pattern.compile(
            "batch (\\d+) \\[([^\\]]*)\\]: (\\d+) lines, (\\d+) published");
    /** The consumer's line per batch with input (BatchProgressLog): {@code batch 3: 100 in, 95 out, ...}. */
    static final Pattern CONSUMER_BATCH = Pattern.compile("BatchProgressLog: batch (\\d+): (\\d+) in, (\\d+) out");

    /** A WARN or ERROR line of the log layout (conf/log4j2.properties). */
    static final Pattern WARNING = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR) ");

    private static final List<String> LOCAL_SUBMIT_OPTIONS =
            List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false");

    private static final DateTimeFormatter CSV_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    final PipelineFolders folders;
    private final String bootstrapServers;
    private final List<String> submitOptions;
    private final ProjectLayout layout = new ProjectLayout(Path.of(System.getProperty("orders.project.dir", "..")));
    private final List<App> started = new CopyOnWriteArrayList<>();
    private final Path generated;
    private final Instant firstFileTime = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
    private int filesAdded;
    private int runs;

    /** Creates the pipeline's topics on the broker at {@code kafka}; the apps run on {@code local[2]}. */
    ChildProcessPipeline(PipelineFolders folders, TestKafka kafka) {
        this(folders, kafka, 1, LOCAL_SUBMIT_OPTIONS);
    }

    /**
     * Creates the pipeline's topics, the orders topic with {@code partitions} partitions; the apps run with
     * these spark-submit options (a master, executors...).
     */
    ChildProcessPipeline(PipelineFolders folders, TestKafka kafka, int partitions, List<String> submitOptions) {
        this.folders = folders;
        this.bootstrapServers = kafka.bootstrapServers();
        this.generated = folders.root.resolve("generated");
        this.submitOptions = List.copyOf(submitOptions);
        kafka.createTopics(partitions, folders.topic);
        kafka.createTopics(folders.deadLetterTopic);
    }

    // ---- test data ----

    /**
     * Writes the customer file in place and {@code files} order files aside, to be added with
     * {@link #addOrderFiles}: every line valid, of a known customer, on time and unique.
     */
    List<Path> generateCleanOrders(int orderLines, int files, long seed) throws IOException {
        OrderDataGenerator.Summary summary = new OrderDataGenerator(new OrderDataGenerator.Spec(
                50, orderLines, files, 0, 0, 0, 0, seed, false, OrderDataGenerator.Spec.DEFAULT_FILE_SPAN))
                .writeTo(generated);
        assertEquals(orderLines, summary.valid(), summary.describe());
        Files.copy(generated.resolve("customers/customer.csv"), folders.customers, StandardCopyOption.REPLACE_EXISTING);
        return summary.files();
    }

    /**
     * Moves the files into the orders folder whole, each with a modification time after the one added
     * before it: Spark's file source takes new files oldest first, so they are read in the order given,
     * as files landing one after another would be (files written in the same millisecond would otherwise
     * be taken in the file system's listing order).
     */
    void addOrderFiles(List<Path> files) {
        for (Path file : files) {
            try {
                Path target = folders.orders.resolve(file.getFileName());
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE);
                Files.setLastModifiedTime(target, FileTime.from(firstFileTime.plusSeconds(filesAdded++)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The (order_id, order_line_id, order_date) of every line of the files, as {@link #outputKeys()} gives them. */
    static List<String> keysOf(List<Path> orderFiles) throws IOException {
        List<String> keys = new ArrayList<>();
        for (Path file : orderFiles) {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            assertEquals(Schemas.ORDER_FILE_HEADER, lines.get(0), file.toString());
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.split(",", -1);
                keys.add(key(fields[0], Integer.parseInt(fields[1]),
                        LocalDateTime.parse(fields[5], CSV_DATE).toInstant(ZoneOffset.UTC)));
            }
        }
        keys.sort(null);
        return keys;
    }

    static long lineCount(List<Path> orderFiles) throws IOException {
        long lines = 0;
        for (Path file : orderFiles) {
            lines += Files.readAllLines(file, StandardCharsets.UTF_8).size() - 1;
        }
        return lines;
    }

    // ---- the apps ----

    String[] producerArgs(String... extra) {
        return folders.producerArgs(bootstrapServers, extra);
    }

    String[] consumerArgs(String... extra) {
        return folders.consumerArgs(bootstrapServers, extra);
    }

    App startProducer(String... extra) throws IOException {
        return start(SparkApp.PRODUCER, producerArgs(extra));
    }

    App startConsumer(String... extra) throws IOException {
        return start(SparkApp.CONSUMER, consumerArgs(extra));
    }

    /** The producer with --available-now, to its end; fails unless it exits 0. */
    App runProducer() throws IOException, InterruptedException {
        return startProducer("--available-now").assertExitsZero(Duration.ofMinutes(5));
    }

    /** The consumer with --available-now, to its end; fails unless it exits 0. */
    App runConsumer() throws IOException, InterruptedException {
        return startConsumer("--available-now").assertExitsZero(Duration.ofMinutes(5));
    }

    /** Starts the app's jar under SparkSubmit in a JVM of its own; its stdout and stderr go to a log file. */
    App start(SparkApp app, String... appArgs) throws IOException {
        List<String> command = SparkSubmit.command(layout, app, submitOptions, List.of(appArgs));
        Path log = folders.root.resolve(String.format("%02d-%s.log", ++runs, app.module()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        App child = new App(app, builder.start(), log);
        started.add(child);
        return child;
    }

    // ---- what came out ----

    /**
     * The (order_id, order_line_id, order_date) of every row of the json sink, sorted, repeats kept. Read
     * through the sink's _spark_metadata log, as any Spark reader of the folder does: files of a batch the
     * sink did not commit are not part of it.
     */
    List<String> outputKeys() {
        if (!Files.exists(folders.output.resolve("_spark_metadata"))) {
            return List.of();
        }
        StructType schema = Schemas.ORDER_DETAILS.add("total_amount", OrderTotals.TOTAL_AMOUNT_TYPE);
        List<String> keys = new ArrayList<>();
        for (Row row : LocalSpark.session().read().schema(schema).options(JsonFormat.OPTIONS)
                .json(folders.output.toString()).select("order_id", "order_line_id", "order_date").collectAsList()) {
            keys.add(key(row.getString(0), row.getInt(1), ((Timestamp) row.get(2)).toInstant()));
        }
        keys.sort(null);
        return keys;
    }

    /**
     * Reads the output every 2 s until it holds every key of {@code expected}, and returns it then (a
     * sorted list, repeats kept); fails at the deadline, or as soon as one of {@code mustRun} has exited.
     */
    List<String> awaitOutputContaining(List<String> expected, Duration timeout, App... mustRun)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> keys = outputKeys();
        while (!new HashSet<>(keys).containsAll(expected)) {
            for (App app : mustRun) {
                if (!app.isAlive()) {
                    throw new AssertionError(app + " exited with " + app.process.exitValue() + " while "
                            + keys.size() + " of " + expected.size() + " keys were in the output:\n" + app.tail());
                }
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the output held " + keys.size() + " of the " + expected.size()
                        + " expected keys after " + timeout.toSeconds() + " s");
            }
            Thread.sleep(2_000);
            keys = outputKeys();
        }
        return keys;
    }

    /** The names of the files under a checkpoint folder ({@code offsets}, {@code commits}...), in batch order. */
    List<String> checkpointLog(String app, String log) {
        Path dir = folders.checkpoint(app).resolve(log);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).filter(name -> name.matches("\\d+"))
                    .sorted(Comparator.comparingLong(Long::parseLong)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The sum of the Kafka offsets a batch of a query reads up to, from its checkpoint's offset log (last
     * line: {@code {"topic":{"0":600}}}); -1 when the batch has no offsets yet.
     */
    long plannedKafkaOffset(String queryCheckpoint, long batchId) {
        Path file = folders.checkpoint(queryCheckpoint).resolve("offsets").resolve(Long.toString(batchId));
        if (!Files.exists(file)) {
            return -1;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            Matcher offsets = Pattern.compile("\"\\d+\":(\\d+)").matcher(lines.get(lines.size() - 1));
            long sum = 0;
            while (offsets.find()) {
                sum += Long.parseLong(offsets.group(1));
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String key(String orderId, int orderLineId, Instant orderDate) {
        return orderId + "|" + orderLineId + "|" + orderDate;
    }

    /** Kills every app still running. */
    @Override
    public void close() {
        for (App app : started) {
            app.kill();
        }
    }

    /** One run of an app: a child JVM and its log. */
    static final class App {
        final SparkApp app;
        final Process process;
        final Path log;
        private final long startedNanos = System.nanoTime();

        App(SparkApp app, Process process, Path log) {
            this.app = app;
            this.process = process;
            this.log = log;
        }

        /** Seconds since the JVM was started. */
        long secondsRunning() {
            return Duration.ofNanos(System.nanoTime() - startedNanos).toSeconds();
        }

        boolean isAlive() {
            return process.isAlive();
        }

        /** Every line of the log so far. */
        List<String> logLines() {
            try {
                return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The matches of {@code pattern} in the log so far, one per matching line, in order. */
        List<Matcher> matches(Pattern pattern) {
            List<Matcher> found = new ArrayList<>();
            for (String line : logLines()) {
                Matcher matcher = pattern.matcher(line);
                if (matcher.find()) {
                    found.add(matcher);
                }
            }
            return found;
        }

        /**
         * Polls the log every 20 ms until {@code count} of its lines match {@code pattern}, and returns
         * those matches; fails at the deadline, or when the app exits before.
         */
        List<Matcher> awaitLines(Pattern pattern, int count, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<Matcher> found = matches(pattern);
                if (found.size() >= count) {
                    return found;
                }
                if (!isAlive()) {
                    // Its last lines may have been written just before it exited.
                    found = matches(pattern);
                    if (found.size() >= count) {
                        return found;
                    }
                    throw new AssertionError(this + " exited with " + process.exitValue() + " before " + count
                            + " lines matched /" + pattern + "/:\n" + tail());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(this + ": " + found.size() + " of " + count + " lines matched /"
                            + pattern + "/ within " + timeout.toSeconds() + " s:\n" + tail());
                }
                Thread.sleep(20);
            }
        }

        /** Waits for the app to exit and returns its exit code; kills it and fails at the deadline. */
        int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(this + " did not exit within " + timeout.toSeconds() + " s:\n" + tail());
            }
            System.out.printf("%s exited with %d after %d s%n", this, process.exitValue(), secondsRunning());
            return process.exitValue();
        }

        App assertExitsZero(Duration timeout) throws InterruptedException {
            int exit = awaitExit(timeout);
            assertEquals(0, exit, () -> this + " failed:\n" + tail());
            return this;
        }

        /** Sends SIGTERM, as a service manager or {@code kill} does, and returns at once. */
        void sigterm() {
            System.out.printf("%s: SIGTERM after %d s%n", this, secondsRunning());
            process.destroy();
        }

        /** Stops the JVM as Ctrl-C would (SIGTERM: Spark's shutdown hooks run), and waits until it is gone. */
        void stop(Duration timeout) throws InterruptedException {
            process.destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                throw new AssertionError(this + " was still running " + timeout.toSeconds() + " s after SIGTERM:\n"
                        + tail());
            }
            System.out.printf("%s stopped after %d s%n", this, secondsRunning());
        }

        /** Stops the JVM as kill -9 would, with anything it started, and waits until it is gone. */
        void kill() {
            if (process.isAlive()) {
                System.out.printf("%s killed after %d s%n", this, secondsRunning());
            }
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    throw new AssertionError(this + " was still running 30 s after SIGKILL");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        String tail() {
            List<String> lines = logLines();
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        }

        @Override
        public String toString() {
            return app.module() + " (pid " + process.pid() + ", log " + log + ")";
        }
    }
}
