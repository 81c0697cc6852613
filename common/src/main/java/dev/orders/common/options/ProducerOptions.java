package dev.orders.common.options;

import dev.orders.common.cli.CommandLine;
import dev.orders.common.cli.Durations;
import dev.orders.common.cli.OptionSpec;
import dev.orders.common.cli.ParsedArgs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the producer is told on its command line. */
public record ProducerOptions(
        CommonOptions common,
        String ordersDir,
        String customersFile,
        int maxFilesPerTrigger,
        Duration maxFileAge) implements java.io.Serializable {
    /**
     * Exports are often landed again with their old modification times ({@code mv}, {@code cp -p}): with
     * Spark's own default of 7 days such a file is never read. A year covers that; what it costs is that the
     * file source keeps the name and time of every file seen within the age in memory.
     */
    public static final String DEFAULT_MAX_FILE_AGE = "365 days";

    public static CommandLine commandLine() {
        List<OptionSpec> specs = new ArrayList<>(CommonOptions.specs("producer"));
        specs.add(OptionSpec.value("--orders-dir", "ORDERS_DIR", "data/orders", "DIR",
                "folder of order CSV files; new files are picked up as they land"));
        specs.add(OptionSpec.value("--customers-file", "CUSTOMERS_FILE", "data/customers/customer.csv", "FILE",
                "customer CSV, re-read whenever it changes"));
        specs.add(OptionSpec.value("--max-files-per-trigger", "MAX_FILES_PER_TRIGGER", "1", "N",
                "order files per micro-batch"));
        specs.add(OptionSpec.value("--max-file-age", "MAX_FILE_AGE", DEFAULT_MAX_FILE_AGE, "DURATION",
                "a file modified this much before the newest file processed is not read (and is named in a"
                        + " warning); long, because re-landed exports keep old times, and the names of the files"
                        + " seen within it are kept in memory"));
        return new CommandLine("orders-producer",
                "Reads order CSV files, joins each line with its customer and publishes it to Kafka.", specs);
    }

    public static ProducerOptions parse(String[] args, Map<String, String> env) {
        ParsedArgs parsed = commandLine().parse(args, env);
        return new ProducerOptions(
                CommonOptions.from(parsed),
                parsed.required("--orders-dir"),
                parsed.required("--customers-file"),
                parsed.positiveInt("--max-files-per-trigger"),
                Durations.toDuration(parsed.duration("--max-file-age")));
    }
}
