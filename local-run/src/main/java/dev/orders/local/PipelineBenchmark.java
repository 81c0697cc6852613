package dev.orders.local;

import dev.orders.kafka.KafkaBrokerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Measures the pipeline on this machine, and in the same run the fastest thing that could move the same
 * records: plain Kafka clients. Each app runs as spark-submit would run it (a JVM of its own on Spark's
 * jars), against a local broker; figures come from the apps' own per-batch log lines.
 */
final class PipelineBenchmark {
    private static final Pattern PRODUCER_BATCH = Pattern.compile(
            "^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*OrdersProducerApp: batch \\d+ \\[.*\\]: (\\d+) lines, (\\d+) published.*, (\\d+) ms$");
    private static final Pattern CONSUMER_BATCH = Pattern.compile(
            "^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) .*BatchProgressLog: batch \\d+: (\\d+) in, (\\d+) out, .*, (\\d+) duplicates, "
                    + "(\\d+) late, (\\d+) state rows, (\\d+) ms(?:, .*)?$");
    private static final Pattern CUSTOMERS_READ = Pattern.compile("^.*CustomerTable: (customers: read .*)$");
    private static final Pattern GC_HEAP = Pattern.compile("(\\d+)M->\\d+M\\(\\d+M\\)");
    private static final Pattern ORDER_ID = Pattern.compile("\"order_id\":\"([^\"]+)\"");
    private static final Pattern COMMITTED_FILE = Pattern.compile("\"path\":\"([^\"]+)\"");
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS");
    /** Always with its seconds: LocalDateTime.toString() leaves out ":00", a malformed order date. */
    private static final DateTimeFormatter ORDER_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** What to run. */
    record Settings(int orders, int files, int customers, double duplicateRate, int filesPerBatch, int latencyFiles,
            int latencyWarmUp, List<String> producerOptions, List<String> consumerOptions, Path out, java.time.Duration fileSpan,
            String master, int partitions, String latencyTrigger, String appHeap) {
    }

    /** One app run: what its batch lines add up to, and what its JVM used. */
    record AppRun(String name, long rowsIn, long rowsOut, long batches, long spanMillis, long wallMillis,
            long peakStateRows, long peakHeapMb, long duplicates, long late, List<Long> batchMillis,
            List<Long> batchEndsMillis) {
        double rowsPerSecond() {
            return spanMillis == 0 ? 0 : rowsIn * 1000.0 / spanMillis;
        }

        /** The median batch of the second half: a batch once the JVM and Spark are warm. */
        long medianWarmBatchMillis() {
            List<Long> warm = batchMillis.subList(batchMillis.size() / 2, batchMillis.size()).stream().sorted().toList();
            return warm.isEmpty() ? 0 : warm.get((warm.size() - 1) / 2);
        }

        /**
         * The median time from one batch's end to the next one's, second half: a whole warm trigger, the
         * batch and what the query does around it (listing, logs, planning). For back-to-back batches only.
         */
        long medianWarmTriggerMillis() {
            List<Long> intervals = new ArrayList<>();
            for (int i = Math.max(1, batchEndsMillis.size() / 2); i < batchEndsMillis.size(); i++) {
                intervals.add(batchEndsMillis.get(i) - batchEndsMillis.get(i - 1));
            }
            List<Long> sorted = intervals.stream().sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get((sorted.size() - 1) / 2);
        }
    }

    private final ProjectLayout layout;
    private final Settings settings;
    private final Path work;

    PipelineBenchmark(ProjectLayout layout, Settings settings, Path work) {
        this.layout = layout;
        this.settings = settings;
        this.work = work;
    }

    String run() throws Exception {
        Path data = work.resolve("data");
        System.out.println("== Generating " + settings.orders() + " order lines in " + settings.files() + " files ("
                + settings.customers() + " customers, " + settings.duplicateRate() + " duplicates)");
        OrderDataGenerator.Summary generated = new OrderDataGenerator(new OrderDataGenerator.Spec(
                settings.customers(), settings.orders(), settings.files(), settings.duplicateRate(), 0, 0, 0, 42,
                false, settings.fileSpan())).writeTo(data);
        System.out.println("   " + generated.describe());

        try (KafkaBrokerProcess broker = KafkaBrokerProcess.start(work.resolve("kafka"), KafkaBrokerProcess.Options
                .defaults().withTopics("order_details:" + settings.partitions(), "order_details_dlq:" + settings.partitions(),
                        "latency_orders:" + settings.partitions(), "baseline:" + settings.partitions()))) {
            String bootstrap = broker.bootstrapServers();
            List<String> common = List.of("--bootstrap-servers", bootstrap, "--available-now");

            System.out.println("== Producer: files -> order_details");
            AppRun producer = runApp(SparkApp.PRODUCER, "producer", concat(common, List.of(
                    "--orders-dir", data.resolve("orders").toString(),
                    "--customers-file", data.resolve("customers/customer.csv").toString(),
                    "--max-files-per-trigger", String.valueOf(settings.filesPerBatch()),
                    "--checkpoint-dir", work.resolve("producer-checkpoint").toString()), settings.producerOptions()));
            System.out.println("== Consumer: order_details -> noop");
            AppRun consumerNoop = runApp(SparkApp.CONSUMER, "consumer-noop", concat(common, List.of(
                    "--sink", "noop", "--checkpoint-dir", work.resolve("consumer-noop-checkpoint").toString()),
                    settings.consumerOptions()));
            System.out.println("== Consumer: order_details -> json");
            AppRun consumerJson = runApp(SparkApp.CONSUMER, "consumer-json", concat(common, List.of(
                    "--sink", "json", "--output-dir", work.resolve("output").toString(),
                    "--checkpoint-dir", work.resolve("consumer-json-checkpoint").toString()),
                    settings.consumerOptions()));
            System.out.println("== Baseline: plain Kafka clients, the same messages to a fresh topic and back");
            KafkaBaseline.Result baseline = KafkaBaseline.run(bootstrap, "order_details", "baseline");
            Latencies latencies = settings.latencyFiles() > 0 ? measureLatency(bootstrap, data) : null;
            String customers = String.format(Locale.ROOT, "Customers: %,d in a %.1f MB file; the producer logged: %s",
                    settings.customers(), Files.size(data.resolve("customers/customer.csv")) / 1_000_000.0,
                    customersRead(Files.readAllLines(work.resolve("producer.log"))));
            return report(generated, producer, consumerNoop, consumerJson, baseline, latencies) + "\n" + customers
                    + "\n";
        }
    }

    private AppRun runApp(SparkApp app, String name, List<String> args) throws IOException, InterruptedException {
        Path log = work.resolve(name + ".log");
        Path gcLog = work.resolve(name + "-gc.log");
        long started = System.nanoTime();
        Process process = start(app, args, log, gcLog);
        int exit = process.waitFor();
        long wall = (System.nanoTime() - started) / 1_000_000;
        if (exit != 0) {
            throw new IllegalStateException(name + " failed with exit code " + exit + "; see " + log);
        }
        return summarize(name, Files.readAllLines(log), wall, peakHeapMb(gcLog));
    }

    private Process start(SparkApp app, List<String> args, Path log, Path gcLog) throws IOException {
        List<String> command = SparkSubmit.command(layout, app, List.of("-Xmx" + settings.appHeap(), "-Xlog:gc:file=" + gcLog),
                List.of("--master", settings.master(), "--conf", "spark.ui.enabled=false"), args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return builder.start();
    }

    static AppRun summarize(String name, List<String> logLines, long wallMillis, long peakHeapMb) {
        long rowsIn = 0;
        long rowsOut = 0;
        long batches = 0;
        long stateRows = 0;
        long duplicates = 0;
        long late = 0;
        LocalTime firstStart = null;
        LocalTime lastEnd = null;
        List<Long> batchMillis = new ArrayList<>();
        List<Long> batchEndsMillis = new ArrayList<>();
        for (String line : logLines) {
            Matcher producer = PRODUCER_BATCH.matcher(line);
            Matcher consumer = CONSUMER_BATCH.matcher(line);
            long duration;
            LocalTime end;
            if (producer.matches()) {
                end = LocalTime.parse(producer.group(1), LOG_TIME);
                rowsIn += Long.parseLong(producer.group(2));
                rowsOut += Long.parseLong(producer.group(3));
                duration = Long.parseLong(producer.group(4));
            } else if (consumer.matches()) {
                end = LocalTime.parse(consumer.group(1), LOG_TIME);
                rowsIn += Long.parseLong(consumer.group(2));
                rowsOut += Long.parseLong(consumer.group(3));
                duplicates += Long.parseLong(consumer.group(4));
                late += Long.parseLong(consumer.group(5));
                stateRows = Math.max(stateRows, Long.parseLong(consumer.group(6)));
                duration = Long.parseLong(consumer.group(7));
            } else {
                continue;
            }
            batches++;
            batchMillis.add(duration);
            if (firstStart == null) {
                firstStart = end.minus(Duration.ofMillis(duration));
            }
            batchEndsMillis.add(Duration.between(firstStart, end).toMillis());
            lastEnd = end;
        }
        long span = firstStart == null ? 0 : Duration.between(firstStart, lastEnd).toMillis();
        return new AppRun(name, rowsIn, rowsOut, batches, span, wallMillis, stateRows, peakHeapMb, duplicates, late,
                List.copyOf(batchMillis), List.copyOf(batchEndsMillis));
    }

    /** What the producer logged when it read the customer file first (how many, in how much memory, how joined). */
    static String customersRead(List<String> producerLog) {
        return producerLog.stream().map(CUSTOMERS_READ::matcher).filter(Matcher::matches).map(m -> m.group(1))
                .findFirst().orElse("(no customers line)");
    }

    /** The largest heap occupancy a collection found, from the JVM's GC log. */
    static long peakHeapMb(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return 0;
        }
        long peak = 0;
        for (String line : Files.readAllLines(gcLog)) {
            Matcher matcher = GC_HEAP.matcher(line);
            while (matcher.find()) {
                peak = Math.max(peak, Long.parseLong(matcher.group(1)));
            }
        }
        return peak;
    }

    /** Milliseconds from landing to output: of the warm-up files (the apps' first after their start), then of the timed ones. */
    record Latencies(List<Long> warmUp, List<Long> timed) {
    }

    /**
     * Both apps running with the latency trigger (both apps' {@code --trigger-interval}): each file of 100 lines is moved into the orders folder once
     * the previous one came out, and timed from its landing to all its rows in the consumer's json output. The
     * warm-up files go first: a new JVM runs Spark's per-batch code slowly until its JIT has compiled it.
     */
    private Latencies measureLatency(String bootstrap, Path data) throws Exception {
        System.out.println("== Latency: triggers every " + settings.latencyTrigger() + ", " + settings.latencyWarmUp()
                + " warm-up files and " + settings.latencyFiles() + " timed files of 100 lines");
        Path orders = Files.createDirectories(work.resolve("latency/orders"));
        Path output = work.resolve("latency/output");
        List<String> common = List.of("--bootstrap-servers", bootstrap, "--topic", "latency_orders",
                "--trigger-interval", settings.latencyTrigger());
        Process producer = start(SparkApp.PRODUCER, concat(common, List.of("--orders-dir", orders.toString(),
                "--customers-file", data.resolve("customers/customer.csv").toString(),
                "--checkpoint-dir", work.resolve("latency/producer-checkpoint").toString()), settings.producerOptions()),
                work.resolve("latency-producer.log"), work.resolve("latency-producer-gc.log"));
        Process consumer = start(SparkApp.CONSUMER, concat(common, List.of("--sink", "json",
                "--output-dir", output.toString(),
                "--checkpoint-dir", work.resolve("latency/consumer-checkpoint").toString()), settings.consumerOptions()),
                work.resolve("latency-consumer.log"), work.resolve("latency-consumer-gc.log"));
        try {
            Set<String> seen = new HashSet<>();
            Set<Path> readCommits = new HashSet<>();
            List<Long> warmUp = new ArrayList<>();
            List<Long> timed = new ArrayList<>();
            LocalDateTime clock = LocalDateTime.of(2025, 1, 1, 0, 0);
            for (int file = 0; file < settings.latencyWarmUp() + settings.latencyFiles(); file++) {
                List<String> ids = new ArrayList<>();
                StringBuilder content = new StringBuilder(OrderDataGenerator.ORDER_HEADER).append('\n');
                for (int line = 0; line < 100; line++) {
                    String id = "L" + file + "-" + line;
                    ids.add(id);
                    clock = clock.plusSeconds(1);
                    content.append(id).append(",1,C00001,Pen,1.50,")
                            .append(ORDER_DATE.format(clock)).append(",1\n");
                }
                Path staged = Files.writeString(work.resolve("latency/file.tmp"), content);
                long landed = System.nanoTime();
                Files.move(staged, orders.resolve("order_" + file + ".csv"), StandardCopyOption.ATOMIC_MOVE);
                long deadline = landed + TimeUnit.MINUTES.toNanos(5);
                while (!seen.containsAll(ids)) {
                    if (System.nanoTime() > deadline || !producer.isAlive() || !consumer.isAlive()) {
                        throw new IllegalStateException("file " + file + " did not come out within 5 minutes; see "
                                + work.resolve("latency-consumer.log"));
                    }
                    readNewOutput(output, readCommits, seen);
                    Thread.sleep(20);
                }
                (file < settings.latencyWarmUp() ? warmUp : timed).add((System.nanoTime() - landed) / 1_000_000);
            }
            return new Latencies(warmUp, timed);
        } finally {
            producer.destroy();
            consumer.destroy();
            producer.waitFor(30, TimeUnit.SECONDS);
            consumer.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Reads the part files of batches the json sink has committed (its _spark_metadata log) since last time. */
    private static void readNewOutput(Path output, Set<Path> readCommits, Set<String> seen) throws IOException {
        Path commits = output.resolve("_spark_metadata");
        if (!Files.isDirectory(commits)) {
            return;
        }
        try (Stream<Path> logs = Files.list(commits)) {
            for (Path commit : logs.filter(f -> f.getFileName().toString().matches("\\d+(\\.compact)?")).toList()) {
                if (readCommits.add(commit)) {
                    Matcher path = COMMITTED_FILE.matcher(Files.readString(commit, StandardCharsets.UTF_8));
                    while (path.find()) {
                        Matcher id = ORDER_ID.matcher(Files.readString(Path.of(java.net.URI.create(path.group(1))),
                                StandardCharsets.UTF_8));
                        while (id.find()) {
                            seen.add(id.group(1));
                        }
                    }
                }
            }
        }
    }

    private String report(OrderDataGenerator.Summary generated, AppRun producer, AppRun noop, AppRun json,
            KafkaBaseline.Result baseline, Latencies latencies) {
        double endToEndSeconds = (producer.spanMillis() + json.spanMillis()) / 1000.0;
        double endToEnd = generated.lines() / endToEndSeconds;
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Machine: %d cores, %d GiB memory, Java %s (%s); Spark %s, Kafka broker "
                        + "3.9.2 (KRaft, loopback, topics of %d partitions); master %s, each app's heap -Xmx%s%n%n",
                Runtime.getRuntime().availableProcessors(), totalMemoryGib(), System.getProperty("java.version"),
                System.getProperty("java.vm.name"), "3.5.7", settings.partitions(), settings.master(), settings.appHeap()));
        md.append(String.format(Locale.ROOT, "Input: %,d order lines in %d files of %s each (%,d duplicates), %,d "
                        + "customers; producer --max-files-per-trigger %d%s%s%n%n", generated.lines(), settings.files(),
                dev.orders.common.cli.Durations.describe(settings.fileSpan()), generated.duplicates(),
                settings.customers(), settings.filesPerBatch(),
                settings.producerOptions().isEmpty() ? "" : ", producer " + String.join(" ", settings.producerOptions()),
                settings.consumerOptions().isEmpty() ? "" : ", consumer " + String.join(" ", settings.consumerOptions())));
        md.append("| stage | rows in | rows out | duplicates | late | batches | time in batches | rows/s | "
                + "wall (with JVM and Spark start) | peak state rows | peak heap |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (AppRun run : List.of(producer, noop, json)) {
            boolean consumer = run.name().startsWith("consumer");
            md.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %d | %.1f s | %,.0f | %.1f s | %s | %d MiB |%n",
                    run.name(), run.rowsIn(), run.rowsOut(),
                    consumer ? String.format(Locale.ROOT, "%,d", run.duplicates()) : "-",
                    consumer ? String.format(Locale.ROOT, "%,d", run.late()) : "-",
                    run.batches(), run.spanMillis() / 1000.0, run.rowsPerSecond(), run.wallMillis() / 1000.0,
                    consumer ? String.format(Locale.ROOT, "%,d", run.peakStateRows()) : "-", run.peakHeapMb()));
        }
        md.append(String.format(Locale.ROOT, "| end to end (producer + consumer-json) | %,d | %,d | | | | %.1f s | %,.0f | | | |%n",
                generated.lines(), json.rowsOut(), endToEndSeconds, endToEnd));
        md.append(String.format(Locale.ROOT, "| baseline: kafka-clients produce | %,d | | | | | %.1f s | %,.0f | | | |%n",
                baseline.messages(), baseline.produceMillis() / 1000.0, baseline.producePerSecond()));
        md.append(String.format(Locale.ROOT, "| baseline: kafka-clients consume | %,d | | | | | %.1f s | %,.0f | | | |%n",
                baseline.messages(), baseline.consumeMillis() / 1000.0, baseline.consumePerSecond()));
        md.append(String.format(Locale.ROOT, "| baseline: produce + consume | %,d | | | | | %.1f s | %,.0f | | | |%n%n",
                baseline.messages(), (baseline.produceMillis() + baseline.consumeMillis()) / 1000.0,
                baseline.roundTripPerSecond()));
        md.append(String.format(Locale.ROOT, "End to end / baseline: %.2f%n", endToEnd / baseline.roundTripPerSecond()));
        md.append(String.format(Locale.ROOT, "%nBatches (first; median of the second half): producer %s; consumer-json %s%n",
                batchTimes(producer), batchTimes(json)));
        md.append(String.format(Locale.ROOT, "%nProducer per trigger, warm (median time from one batch's end to the "
                + "next's, second half): %.2f s%n", producer.medianWarmTriggerMillis() / 1000.0));
        if (latencies != null) {
            md.append(String.format(Locale.ROOT, "%nLatency, file landed -> all its rows in the json output "
                            + "(both apps triggered every %s, %d files of 100 lines after %d warm-up files): %s%n",
                    settings.latencyTrigger(), latencies.timed().size(), latencies.warmUp().size(),
                    percentiles(latencies.timed())));
            if (!latencies.warmUp().isEmpty()) {
                md.append(String.format(Locale.ROOT, "The %d warm-up files, the apps' first after their start: %s%n",
                        latencies.warmUp().size(), percentiles(latencies.warmUp())));
            }
        }
        return md.toString();
    }

    private static String batchTimes(AppRun run) {
        return run.batchMillis().isEmpty() ? "none" : String.format(Locale.ROOT, "%.2f s; %.2f s",
                run.batchMillis().get(0) / 1000.0, run.medianWarmBatchMillis() / 1000.0);
    }

    private static String percentiles(List<Long> millis) {
        List<Long> sorted = millis.stream().sorted().toList();
        return String.format(Locale.ROOT, "p50 %.2f s, p95 %.2f s, max %.2f s", percentile(sorted, 50) / 1000.0,
                percentile(sorted, 95) / 1000.0, sorted.get(sorted.size() - 1) / 1000.0);
    }

    static long percentile(List<Long> sorted, int percent) {
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(index, sorted.size() - 1)));
    }

    private static long totalMemoryGib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Math.round(Long.parseLong(line.replaceAll("\\D", "")) / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: unknown
        }
        return 0;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
