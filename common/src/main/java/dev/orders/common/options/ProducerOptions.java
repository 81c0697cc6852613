package dev.orders.common.options;

import dev.orders.common.cli.CommandLine;
import dev.orders.common.cli.OptionSpec;
import dev.orders.common.cli.ParsedArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the producer is told on its command line. */
public record ProducerOptions(
        CommonOptions common,
        String ordersDir,
        String customersFile,
        int maxFilesPerTrigger) implements java.io.Serializable {

    public static CommandLine commandLine() {
        List<OptionSpec> specs = new ArrayList<>(CommonOptions.specs("producer"));
        specs.add(OptionSpec.value("--orders-dir", "ORDERS_DIR", "data/orders", "DIR",
                "folder of order CSV files; new files are picked up as they land"));
        specs.add(OptionSpec.value("--customers-file", "CUSTOMERS_FILE", "data/customers/customer.csv", "FILE",
                "customer CSV, re-read whenever it changes"));
        specs.add(OptionSpec.value("--max-files-per-trigger", "MAX_FILES_PER_TRIGGER", "1", "N",
                "order files per micro-batch"));
        return new CommandLine("orders-producer",
                "Reads order CSV files, joins each line with its customer and publishes it to Kafka.", specs);
    }

    public static ProducerOptions parse(String[] args, Map<String, String> env) {
        ParsedArgs parsed = commandLine().parse(args, env);
        return new ProducerOptions(
                CommonOptions.from(parsed),
                parsed.required("--orders-dir"),
                parsed.required("--customers-file"),
                parsed.positiveInt("--max-files-per-trigger"));
    }
}
