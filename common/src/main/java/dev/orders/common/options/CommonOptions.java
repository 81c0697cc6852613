package dev.orders.common.options;

import dev.orders.common.cli.Durations;
import dev.orders.common.cli.OptionSpec;
import dev.orders.common.cli.ParsedArgs;
import dev.orders.common.cli.UsageException;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** The options both apps take. */
public record CommonOptions(
        String bootstrapServers,
        String topic,
        Optional<String> deadLetterTopic,
        String checkpointDir,
        String triggerInterval,
        boolean availableNow,
        KafkaClientOptions kafka,
        String timeZone,
        OptionalInt shufflePartitions,
        Duration kafkaTimeout,
        Duration maxFuture,
        Duration stopTimeout,
        Duration maxOutage) implements Serializable {

    public static final String DEFAULT_TOPIC = "order_details";
    public static final String DEFAULT_DEAD_LETTER_TOPIC = "order_details_dlq";

    static List<OptionSpec> specs(String app) {
        String defaultCheckpoint = Path.of(System.getProperty("java.io.tmpdir"), "orders-pipeline", app + "-checkpoint")
                .toString();
        return List.of(
                OptionSpec.value("--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", "localhost:9092", "HOST:PORT[,...]",
                        "Kafka brokers to connect to"),
                OptionSpec.value("--topic", "ORDERS_TOPIC", DEFAULT_TOPIC, "NAME", "topic of enriched orders"),
                OptionSpec.value("--dead-letter-topic", "DEAD_LETTER_TOPIC", DEFAULT_DEAD_LETTER_TOPIC, "NAME",
                        "topic for rejected records, with their reason"),
                OptionSpec.flag("--no-dead-letter", "NO_DEAD_LETTER",
                        "do not publish rejected records (they are still counted in the log)"),
                OptionSpec.value("--checkpoint-dir", "CHECKPOINT_DIR", defaultCheckpoint, "DIR",
                        "where the query keeps its progress; a new folder starts from scratch"),
                OptionSpec.value("--trigger-interval", "TRIGGER_INTERVAL", "10 seconds", "DURATION",
                        "processing-time trigger"),
                OptionSpec.flag("--available-now", "AVAILABLE_NOW",
                        "process everything present now, then exit 0 (Trigger.AvailableNow)"),
                OptionSpec.repeated("--kafka-option", "KAFKA_OPTIONS", "KEY=VALUE",
                        "a Kafka client property, e.g. security.protocol=SASL_SSL"),
                OptionSpec.value("--time-zone", "SPARK_TIME_ZONE", "UTC", "ZONE",
                        "Spark session time zone: order dates without a zone are read in it"),
                OptionSpec.value("--kafka-timeout", "KAFKA_TIMEOUT", "60 seconds", "DURATION",
                        "how long to wait for Kafka at start-up before giving up with an error"),
                OptionSpec.value("--shuffle-partitions", "SHUFFLE_PARTITIONS", null, "N",
                        "spark.sql.shuffle.partitions for a new checkpoint, fixed at its first run [default: 8, or the cores of a local master when fewer, unless set by --conf]"),
                OptionSpec.value("--max-future", "MAX_FUTURE", "1 day", "DURATION",
                        "an order_date further ahead of the clock is a dead letter (implausible_date)"),
                OptionSpec.value("--stop-timeout", "STOP_TIMEOUT", "30 seconds", "DURATION",
                        "on SIGTERM or Ctrl-C, how long the batch in progress may take to finish and commit before"
                                + " it is cut (and re-run on the next start)"),
                OptionSpec.value("--max-outage", "MAX_OUTAGE", "10 minutes", "DURATION",
                        "how long Kafka may stay unreachable while the app restarts its queries, before it exits"
                                + " with an error"));
    }

    static CommonOptions from(ParsedArgs args) {
        String timeZone = args.required("--time-zone");
        try {
            ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            throw new UsageException("--time-zone must be a zone id such as UTC or Europe/Paris, not '" + timeZone + "'");
        }
        Optional<String> deadLetterTopic = args.flag("--no-dead-letter")
                ? Optional.empty()
                : Optional.of(args.required("--dead-letter-topic"));
        OptionalInt shufflePartitions = args.value("--shuffle-partitions") == null
                ? OptionalInt.empty()
                : OptionalInt.of(args.positiveInt("--shuffle-partitions"));
        return new CommonOptions(
                args.required("--bootstrap-servers"),
                args.required("--topic"),
                deadLetterTopic,
                args.required("--checkpoint-dir"),
                args.duration("--trigger-interval"),
                args.flag("--available-now"),
                KafkaClientOptions.parse(args.values("--kafka-option")),
                timeZone,
                shufflePartitions,
                Durations.toDuration(args.duration("--kafka-timeout")),
                Durations.toDuration(args.duration("--max-future")),
                Durations.toDuration(args.duration("--stop-timeout")),
                Durations.toDuration(args.duration("--max-outage")));
    }
}
