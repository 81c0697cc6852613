package dev.orders.common.options;

import dev.orders.common.cli.CommandLine;
import dev.orders.common.cli.OptionSpec;
import dev.orders.common.cli.ParsedArgs;
import dev.orders.common.cli.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** What the consumer is told on its command line. */
public record ConsumerOptions(
        CommonOptions common,
        String watermark,
        String startingOffsets,
        Sink sink,
        Optional<String> outputDir,
        OptionalLong maxOffsetsPerTrigger,
        String deadLetterTriggerInterval,
        boolean skipLostOffsets,
        Optional<String> consumerGroup) implements java.io.Serializable {

    public static final String DEFAULT_CONSUMER_GROUP = "orders-consumer";

    /** Where deduplicated orders go. */
    public enum Sink {
        /** Each non-empty batch printed as a table. */
        CONSOLE,
        /** JSON lines in --output-dir, exactly once through the checkpoint. */
        JSON,
        /** Rows computed and discarded: for benchmarks. */
        NOOP;

        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static CommandLine commandLine() {
        List<OptionSpec> specs = new ArrayList<>(CommonOptions.specs("consumer"));
        specs.add(OptionSpec.value("--watermark", "WATERMARK", "10 minutes", "DURATION",
                "how late an order may arrive and still be deduplicated"));
        specs.add(OptionSpec.value("--starting-offsets", "STARTING_OFFSETS", "earliest", "earliest|latest",
                "where a new checkpoint starts reading the topic"));
        specs.add(OptionSpec.value("--sink", "SINK", "console", "console|json|noop", "where the orders go"));
        specs.add(OptionSpec.value("--output-dir", "OUTPUT_DIR", null, "DIR", "folder of the json sink"));
        specs.add(OptionSpec.value("--max-offsets-per-trigger", "MAX_OFFSETS_PER_TRIGGER", null, "N",
                "at most this many messages per batch [default: all available]"));
        specs.add(OptionSpec.value("--dead-letter-trigger-interval", "DEAD_LETTER_TRIGGER_INTERVAL", "60 seconds",
                "DURATION", "how often the dead-letter query looks for messages that do not parse"));
        specs.add(OptionSpec.flag("--skip-lost-offsets", "SKIP_LOST_OFFSETS",
                "go on past messages Kafka deleted (retention) before this checkpoint read them, logging how many"));
        specs.add(OptionSpec.value("--consumer-group", "CONSUMER_GROUP", DEFAULT_CONSUMER_GROUP, "NAME",
                "Kafka consumer group each finished batch's offsets are committed to, for lag monitoring only"
                        + " (the checkpoint stays the source of truth)"));
        specs.add(OptionSpec.flag("--no-group-commit", "NO_GROUP_COMMIT",
                "commit no offsets to a consumer group"));
        return new CommandLine("orders-consumer",
                "Reads enriched orders from Kafka, drops duplicates within the watermark and adds total_amount.",
                specs);
    }

    public static ConsumerOptions parse(String[] args, Map<String, String> env) {
        ParsedArgs parsed = commandLine().parse(args, env);
        Sink sink = Sink.valueOf(parsed.oneOf("--sink", Set.of("console", "json", "noop")).toUpperCase(Locale.ROOT));
        Optional<String> outputDir = Optional.ofNullable(parsed.value("--output-dir"));
        if (sink == Sink.JSON && outputDir.isEmpty()) {
            throw new UsageException("--sink json needs --output-dir DIR");
        }
        return new ConsumerOptions(
                CommonOptions.from(parsed),
                parsed.duration("--watermark"),
                parsed.oneOf("--starting-offsets", Set.of("earliest", "latest")),
                sink,
                outputDir,
                parsed.value("--max-offsets-per-trigger") == null ? OptionalLong.empty()
                        : OptionalLong.of(parsed.positiveInt("--max-offsets-per-trigger")),
                parsed.duration("--dead-letter-trigger-interval"),
                parsed.flag("--skip-lost-offsets"),
                parsed.flag("--no-group-commit") ? Optional.empty()
                        : Optional.of(parsed.required("--consumer-group")));
    }
}
