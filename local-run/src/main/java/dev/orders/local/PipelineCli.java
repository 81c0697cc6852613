package dev.orders.local;

import dev.orders.common.cli.CommandLine;
import dev.orders.common.cli.Durations;
import dev.orders.common.cli.HelpRequested;
import dev.orders.common.cli.OptionSpec;
import dev.orders.common.cli.ParsedArgs;
import dev.orders.common.cli.UsageException;
import dev.orders.kafka.KafkaBrokerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** What {@code bin/pipeline} runs (the script itself holds the overview usage): the pipeline on a laptop with nothing installed but Java and Maven. */
public final class PipelineCli {
    static final String TOPIC = "order_details";
    static final String DEAD_LETTER_TOPIC = "order_details_dlq";
    /** Partitions of both topics: the consumer reads a topic with at most one task per partition. */
    static final int TOPIC_PARTITIONS = 4;
    static final String DEMO_MASTER = "local[2]";

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("bin/pipeline: a command is needed (see bin/pipeline --help)");
            System.exit(2);
        }
        String command = args[0];
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        int exitCode;
        try {
            exitCode = switch (command) {
                case "demo" -> demo(rest);
                case "kafka" -> kafka(rest);
                case "cluster" -> cluster(rest);
                case "producer" -> submit(SparkApp.PRODUCER, rest);
                case "consumer" -> submit(SparkApp.CONSUMER, rest);
                case "generate" -> generate(rest);
                case "bench" -> bench(rest);
                default -> throw new UsageException("unknown command '" + command + "'");
            };
        } catch (UsageException e) {
            System.err.println("bin/pipeline " + command + ": " + e.getMessage() + " (see --help)");
            exitCode = 2;
        }
        System.exit(exitCode);
    }

    static int demo(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine("bin/pipeline demo",
                "Runs the pipeline once over a data folder: broker, producer, consumer (console), dead letters.",
                List.of(OptionSpec.value("--data-dir", null, "data", "DIR",
                        "folder with customers/customer.csv and orders/"),
                        OptionSpec.value("--master", null, DEMO_MASTER, "URL",
                                "where the apps run, e.g. spark://127.0.0.1:7077 (see bin/pipeline cluster)")));
        ParsedArgs options = parseOrHelp(commandLine, args);
        if (options == null) {
            return 0;
        }
        ProjectLayout layout = ProjectLayout.current();
        Path data = layout.root().resolve(options.required("--data-dir"));
        List<String> submitOptions = demoSubmitOptions(options.required("--master"));
        Path work = Files.createTempDirectory("orders-demo-");
        ChildProcesses.closeOnExit(() -> FileTrees.deleteRecursively(work));
        try (KafkaBrokerProcess broker = ChildProcesses.closeOnExit(KafkaBrokerProcess.start(work.resolve("kafka"),
                KafkaBrokerProcess.Options.defaults().withTopics(topics(TOPIC_PARTITIONS))))) {
            String bootstrap = broker.bootstrapServers();
            System.out.println("== Kafka broker ready on " + bootstrap + " (topics " + TOPIC + ", " + DEAD_LETTER_TOPIC
                    + ")");
            List<String> common = List.of("--bootstrap-servers", bootstrap, "--available-now");
            System.out.println("== Producer: " + data.resolve("orders") + " -> " + TOPIC);
            int producer = ChildProcesses.run(SparkSubmit.command(layout, SparkApp.PRODUCER, submitOptions,
                    concat(common, List.of("--orders-dir", data.resolve("orders").toString(),
                            "--customers-file", data.resolve("customers/customer.csv").toString(),
                            "--checkpoint-dir", work.resolve("producer-checkpoint").toString()))));
            if (producer != 0) {
                System.err.println("bin/pipeline demo: the producer failed (exit " + producer + ")");
                return producer;
            }
            System.out.println("== Consumer: " + TOPIC + " -> console");
            int consumer = ChildProcesses.run(SparkSubmit.command(layout, SparkApp.CONSUMER, submitOptions,
                    concat(common, List.of("--checkpoint-dir", work.resolve("consumer-checkpoint").toString(),
                            "--sink", "console"))));
            if (consumer != 0) {
                System.err.println("bin/pipeline demo: the consumer failed (exit " + consumer + ")");
                return consumer;
            }
            System.out.println("== Dead letters");
            DeadLetterReport.print(bootstrap, DEAD_LETTER_TOPIC, System.out);
            System.out.println("== Done: broker stopped, work folder " + work + " removed");
        } finally {
            FileTrees.deleteRecursively(work);
        }
        return 0;
    }

    static int kafka(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine("bin/pipeline kafka",
                "Runs a single-node Kafka broker (KRaft) on 127.0.0.1 until Ctrl-C, with the pipeline's topics.",
                List.of(OptionSpec.value("--port", null, "9092", "N", "client port"),
                        OptionSpec.value("--partitions", null, String.valueOf(TOPIC_PARTITIONS), "N",
                                "partitions of each topic"),
                        OptionSpec.value("--data-dir", null, null, "DIR",
                                "where the broker keeps its data [default: a new temporary folder]")));
        ParsedArgs options = parseOrHelp(commandLine, args);
        if (options == null) {
            return 0;
        }
        Path dataDir = options.value("--data-dir") != null ? Path.of(options.value("--data-dir"))
                : Files.createTempDirectory("orders-kafka-");
        KafkaBrokerProcess broker = ChildProcesses.closeOnExit(KafkaBrokerProcess.start(dataDir,
                KafkaBrokerProcess.Options.defaults().withPort(options.positiveInt("--port"))
                        .withTopics(topics(options.positiveInt("--partitions")))));
        System.out.println("Kafka broker ready: bootstrap servers " + broker.bootstrapServers() + ", topics " + TOPIC
                + " and " + DEAD_LETTER_TOPIC + " (" + options.positiveInt("--partitions") + " partitions each), data in "
                + dataDir + ". Ctrl-C stops it.");
        while (broker.isAlive()) {
            Thread.sleep(500);
        }
        System.err.println("bin/pipeline kafka: the broker stopped; its log is " + dataDir.resolve("broker.log"));
        return 1;
    }

    static int cluster(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine("bin/pipeline cluster",
                "Runs a Spark standalone cluster on 127.0.0.1 until Ctrl-C: a Master and Workers, each a JVM of its own.",
                List.of(OptionSpec.value("--workers", null, "2", "N", "workers"),
                        OptionSpec.value("--cores-per-worker", null, "1", "N", "cores each worker offers"),
                        OptionSpec.value("--memory-per-worker", null, "1g", "SIZE",
                                "memory each worker offers to executors (512m, 2g...)"),
                        OptionSpec.value("--port", null, "7077", "N", "the Master's port (0: a free one)"),
                        OptionSpec.value("--webui-port", null, "8080", "N",
                                "the Master's web UI port (0: a free one)")));
        ParsedArgs options = parseOrHelp(commandLine, args);
        if (options == null) {
            return 0;
        }
        LocalSparkCluster.Settings settings;
        try {
            settings = new LocalSparkCluster.Settings(options.positiveInt("--workers"),
                    options.positiveInt("--cores-per-worker"), options.required("--memory-per-worker"),
                    (int) options.wholeNumber("--port"), (int) options.wholeNumber("--webui-port"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        System.out.println("Starting a Spark Master and " + settings.workers() + " Worker"
                + (settings.workers() == 1 ? "" : "s") + " on " + LocalSparkCluster.HOST + "...");
        LocalSparkCluster started;
        try {
            started = LocalSparkCluster.start(ProjectLayout.current(), settings);
        } catch (IOException e) {
            System.err.println("bin/pipeline cluster: " + e.getMessage());
            return 1;
        }
        try (LocalSparkCluster cluster = started) {
            System.out.println(clusterBanner(cluster, settings));
            String exited;
            while ((exited = cluster.exitedDaemon()) == null) {
                Thread.sleep(500);
            }
            if (ChildProcesses.isStopping()) {
                return 0; // Ctrl-C: the shutdown hook stopped it
            }
            System.err.println("bin/pipeline cluster: " + exited);
            return 1;
        }
    }

    static String clusterBanner(LocalSparkCluster cluster, LocalSparkCluster.Settings settings) {
        return "Spark standalone cluster ready: master " + cluster.masterUrl() + ", web UI " + cluster.webUiUrl()
                + "\n  " + settings.workers() + " worker" + (settings.workers() == 1 ? "" : "s") + " of "
                + settings.coresPerWorker() + " core" + (settings.coresPerWorker() == 1 ? "" : "s") + " and "
                + settings.memoryPerWorker() + " each; Spark home, worker folders and logs in " + cluster.workDir()
                + "\n  Run an app on it:  bin/pipeline producer --master " + cluster.masterUrl()
                + " --total-executor-cores " + settings.workers() * settings.coresPerWorker() + " [app options]"
                + "\n  Ctrl-C stops it and removes " + cluster.workDir();
    }

    /** {@code [spark-submit's options] [app options]}, as spark-submit takes them around the jar. */
    static int submit(SparkApp app, String[] args) throws Exception {
        return ChildProcesses.run(submitCommand(ProjectLayout.current(), app, args));
    }

    static List<String> submitCommand(ProjectLayout layout, SparkApp app, String[] args) {
        SubmitArguments split = SubmitArguments.split(args);
        return SparkSubmit.command(layout, app, split.submitOptions(), split.appArgs());
    }

    static int generate(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine("bin/pipeline generate",
                "Writes DIR/customers/customer.csv and DIR/orders/order_N.csv; the same seed gives the same files.",
                List.of(OptionSpec.value("--out", null, null, "DIR", "output folder (required)"),
                        OptionSpec.value("--customers", null, "100", "N", "customers"),
                        OptionSpec.value("--orders", null, "1000", "N", "order lines, all files together"),
                        OptionSpec.value("--files", null, "10", "N", "order files"),
                        OptionSpec.value("--duplicate-rate", null, "0.05", "R", "share of lines that repeat a recent line"),
                        OptionSpec.value("--late-rate", null, "0", "R", "share of lines dated 30 minutes in the past"),
                        OptionSpec.value("--unknown-customer-rate", null, "0.02", "R",
                                "share of lines whose customer is not in the customer file"),
                        OptionSpec.value("--malformed-rate", null, "0.01", "R", "share of lines with a bad value"),
                        OptionSpec.value("--seed", null, "42", "S", "random seed"),
                        OptionSpec.flag("--repeat-last-file", null, "add one more file, a copy of the last"),
                        OptionSpec.value("--file-span", null, "1 minute", "DURATION",
                                "the slice of time each order file covers, the next file the next slice")));
        ParsedArgs options = parseOrHelp(commandLine, args);
        if (options == null) {
            return 0;
        }
        OrderDataGenerator.Spec spec = new OrderDataGenerator.Spec(
                options.positiveInt("--customers"), options.positiveInt("--orders"), options.positiveInt("--files"),
                options.fraction("--duplicate-rate"), options.fraction("--late-rate"),
                options.fraction("--unknown-customer-rate"), options.fraction("--malformed-rate"),
                options.wholeNumber("--seed"), options.flag("--repeat-last-file"),
                Durations.toDuration(options.duration("--file-span")));
        Path out = Path.of(options.required("--out"));
        OrderDataGenerator.Summary summary = new OrderDataGenerator(spec).writeTo(out);
        System.out.println("Wrote " + out.resolve("customers/customer.csv") + " (" + spec.customers()
                + " customers) and " + summary.describe());
        return 0;
    }

    static int bench(String[] args) throws Exception {
        CommandLine commandLine = new CommandLine("bin/pipeline bench",
                "Measures the producer, the consumer, end to end and plain Kafka clients on a local broker.",
                List.of(OptionSpec.value("--orders", null, "1000000", "N", "order lines"),
                        OptionSpec.value("--files", null, "100", "N", "order files"),
                        OptionSpec.value("--customers", null, "10000", "N", "customers"),
                        OptionSpec.value("--duplicate-rate", null, "0.05", "R", "share of repeated lines"),
                        OptionSpec.value("--files-per-batch", null, "1", "N",
                                "the producer's --max-files-per-trigger"),
                        OptionSpec.value("--file-span", null, "1 minute", "DURATION",
                                "the slice of time each generated order file covers"),
                        OptionSpec.value("--master", null, "local[*]", "URL",
                                "where the apps run, e.g. spark://127.0.0.1:7077 (bin/pipeline cluster)"),
                        OptionSpec.value("--partitions", null, String.valueOf(TOPIC_PARTITIONS), "N",
                                "partitions of the topics"),
                        OptionSpec.value("--latency-files", null, "20", "N",
                                "files timed from landing to output (0: skip the latency run)"),
                        OptionSpec.value("--latency-warm-up", null, "30", "N",
                                "files landed before the timed ones, while the apps' JVMs warm up (reported apart)"),
                        OptionSpec.value("--latency-trigger", null, "1 second", "DURATION",
                                "both apps' --trigger-interval in the latency run"),
                        OptionSpec.value("--app-heap", null, "4g", "SIZE", "each app's -Xmx, e.g. 1g"),
                        OptionSpec.repeated("--producer-option", null, "OPTION",
                                "an extra producer option, e.g. --producer-option=--kafka-option=linger.ms=20"),
                        OptionSpec.repeated("--consumer-option", null, "OPTION", "an extra consumer option"),
                        OptionSpec.value("--out", null, null, "FILE", "also write the results there, as markdown"),
                        OptionSpec.value("--work-dir", null, null, "DIR",
                                "where data, checkpoints and logs go [default: a new temporary folder, removed after]")));
        ParsedArgs options = parseOrHelp(commandLine, args);
        if (options == null) {
            return 0;
        }
        PipelineBenchmark.Settings settings = new PipelineBenchmark.Settings(options.positiveInt("--orders"),
                options.positiveInt("--files"), options.positiveInt("--customers"),
                options.fraction("--duplicate-rate"), options.positiveInt("--files-per-batch"),
                (int) options.wholeNumber("--latency-files"), (int) options.wholeNumber("--latency-warm-up"),
                splitOptions(options.values("--producer-option")),
                splitOptions(options.values("--consumer-option")),
                options.value("--out") == null ? null : Path.of(options.value("--out")),
                Durations.toDuration(options.duration("--file-span")), options.required("--master"),
                options.positiveInt("--partitions"), options.duration("--latency-trigger"),
                heapSize(options.required("--app-heap")));
        boolean keepWork = options.value("--work-dir") != null;
        Path work = keepWork ? Files.createDirectories(Path.of(options.value("--work-dir")))
                : Files.createTempDirectory("orders-bench-");
        try {
            String results = new PipelineBenchmark(ProjectLayout.current(), settings, work).run();
            System.out.println();
            System.out.print(results);
            if (settings.out() != null) {
                Files.writeString(settings.out(), "## bin/pipeline bench " + String.join(" ", args) + "\n\n"
                        + results);
                System.out.println("\nWritten to " + settings.out());
            }
        } finally {
            if (!keepWork) {
                FileTrees.deleteRecursively(work);
            }
        }
        return 0;
    }

    /** A JVM heap size as -Xmx takes it: a number and k, m or g. */
    static String heapSize(String size) {
        if (!size.matches("[1-9][0-9]*[kKmMgG]")) {
            throw new UsageException("--app-heap must be a size such as 1g or 768m, not '" + size + "'");
        }
        return size;
    }

    /** Both topics, as the broker's {@code --topics} takes them: {@code name:partitions}. */
    static String[] topics(int partitions) {
        return new String[] {TOPIC + ":" + partitions, DEAD_LETTER_TOPIC + ":" + partitions};
    }

    /** {@code --kafka-option=linger.ms=20} becomes {@code --kafka-option linger.ms=20}. */
    private static List<String> splitOptions(List<String> options) {
        List<String> args = new ArrayList<>();
        for (String option : options) {
            int equals = option.indexOf('=');
            if (option.startsWith("--") && equals > 0) {
                args.add(option.substring(0, equals));
                args.add(option.substring(equals + 1));
            } else {
                args.add(option);
            }
        }
        return args;
    }

    private static List<String> demoSubmitOptions(String master) {
        return List.of("--master", master, "--conf", "spark.ui.enabled=false");
    }

    private static ParsedArgs parseOrHelp(CommandLine commandLine, String[] args) {
        try {
            return commandLine.parse(args, Map.of());
        } catch (HelpRequested help) {
            System.out.print(commandLine.usage());
            return null;
        }
    }

    private static List<String> concat(List<String> first, List<String> second) {
        return Stream.concat(first.stream(), second.stream()).toList();
    }

    private PipelineCli() {
    }
}
