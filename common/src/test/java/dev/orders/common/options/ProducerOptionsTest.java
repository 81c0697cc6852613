package dev.orders.common.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.cli.HelpRequested;
import dev.orders.common.cli.UsageException;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class ProducerOptionsTest {

    @Test
    void defaultsAreThoseOfTheOriginalPipeline() {
        ProducerOptions options = ProducerOptions.parse(new String[0], Map.of());

        assertEquals("localhost:9092", options.common().bootstrapServers());
        assertEquals("order_details", options.common().topic());
        assertEquals(Optional.of("order_details_dlq"), options.common().deadLetterTopic());
        assertEquals("10 seconds", options.common().triggerInterval());
        assertFalse(options.common().availableNow());
        assertEquals("UTC", options.common().timeZone());
        assertEquals(java.time.Duration.ofDays(1), options.common().maxFuture());
        assertEquals(java.time.Duration.ofSeconds(30), options.common().stopTimeout());
        assertEquals(java.time.Duration.ofMinutes(10), options.common().maxOutage());
        assertEquals(OptionalInt.empty(), options.common().shufflePartitions());
        assertTrue(options.common().checkpointDir().endsWith("producer-checkpoint"), options.common().checkpointDir());
        assertEquals("data/orders", options.ordersDir());
        assertEquals("data/customers/customer.csv", options.customersFile());
        assertEquals(1, options.maxFilesPerTrigger());
        assertEquals(java.time.Duration.ofDays(365), options.maxFileAge());
    }

    @Test
    void maxFileAgeComesFromTheCommandLineOrTheEnvironment() {
        assertEquals(java.time.Duration.ofDays(7),
                ProducerOptions.parse(new String[] {"--max-file-age", "7d"}, Map.of("MAX_FILE_AGE", "30 days"))
                        .maxFileAge());
        assertEquals(java.time.Duration.ofDays(30),
                ProducerOptions.parse(new String[0], Map.of("MAX_FILE_AGE", "30 days")).maxFileAge());
        assertEquals("--max-file-age must be a duration such as '10 seconds' or '500 ms', not 'forever'",
                usageError("--max-file-age", "forever"));
    }

    @Test
    void stopTimeoutAndMaxOutageComeFromTheCommandLineOrTheEnvironment() {
        CommonOptions options = ProducerOptions.parse(new String[] {"--stop-timeout", "5s"},
                Map.of("STOP_TIMEOUT", "1 minute", "MAX_OUTAGE", "2 hours")).common();
        assertEquals(java.time.Duration.ofSeconds(5), options.stopTimeout());
        assertEquals(java.time.Duration.ofHours(2), options.maxOutage());
        assertEquals("--max-outage must be a duration such as '10 seconds' or '500 ms', not 'ever'",
                usageError("--max-outage", "ever"));
    }

    @Test
    void commandLineWinsOverEnvironmentWhichWinsOverDefaults() {
        ProducerOptions options = ProducerOptions.parse(
                new String[] {"--topic", "from_args", "--max-files-per-trigger=3", "--available-now"},
                Map.of("ORDERS_TOPIC", "from_env", "KAFKA_BOOTSTRAP_SERVERS", "kafka:29092",
                        "TRIGGER_INTERVAL", "1s", "MAX_FILES_PER_TRIGGER", "7", "MAX_FUTURE", "36 hours"));

        assertEquals("from_args", options.common().topic());
        assertEquals("kafka:29092", options.common().bootstrapServers());
        assertEquals("1 seconds", options.common().triggerInterval());
        assertEquals(3, options.maxFilesPerTrigger());
        assertEquals(java.time.Duration.ofHours(36), options.common().maxFuture());
        assertTrue(options.common().availableNow());
    }

    @Test
    void kafkaOptionsAreRepeatableAndPassedToSparkWithThePrefix() {
        ProducerOptions options = ProducerOptions.parse(new String[] {
            "--kafka-option", "security.protocol=SASL_PLAINTEXT",
            "--kafka-option", "sasl.jaas.config=PlainLoginModule required username=\"u\" password=\"p\";"},
                Map.of());

        assertEquals(Map.of(
                "kafka.security.protocol", "SASL_PLAINTEXT",
                "kafka.sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"p\";"),
                options.common().kafka().asSparkOptions());
        assertEquals("sasl.jaas.config=****, security.protocol=SASL_PLAINTEXT", options.common().kafka().toString());
    }

    @Test
    void kafkaOptionsFromTheEnvironmentAreOnePerLine() {
        ProducerOptions options = ProducerOptions.parse(new String[0],
                Map.of("KAFKA_OPTIONS", "linger.ms=20\ncompression.type=lz4\n"));

        assertEquals(Map.of("linger.ms", "20", "compression.type", "lz4"),
                options.common().kafka().asClientProperties());
    }

    @Test
    void deadLetterTopicCanBeTurnedOff() {
        assertEquals(Optional.empty(),
                ProducerOptions.parse(new String[] {"--no-dead-letter"}, Map.of()).common().deadLetterTopic());
    }

    @Test
    void badCommandLinesAreOneLineErrors() {
        assertEquals("unknown option --topics", usageError("--topics", "x"));
        assertEquals("--topic needs a value: --topic NAME", usageError("--topic"));
        assertEquals("--max-files-per-trigger must be a positive whole number, not '0'",
                usageError("--max-files-per-trigger", "0"));
        assertEquals("--trigger-interval must be a duration such as '10 seconds' or '500 ms', not 'soon'",
                usageError("--trigger-interval", "soon"));
        assertEquals("--time-zone must be a zone id such as UTC or Europe/Paris, not 'Mars/Olympus'",
                usageError("--time-zone", "Mars/Olympus"));
        assertEquals("--kafka-option must be key=value, not 'linger.ms'", usageError("--kafka-option", "linger.ms"));
        assertEquals("--topic is given twice", usageError("--topic", "a", "--topic", "b"));
        assertEquals("unexpected argument 'extra'", usageError("extra"));
    }

    @Test
    void helpIsAskedForWithHelp() {
        assertThrows(HelpRequested.class, () -> ProducerOptions.parse(new String[] {"--orders-dir", "x", "--help"},
                Map.of()));
        String usage = ProducerOptions.commandLine().usage();
        assertTrue(usage.contains("--orders-dir DIR"), usage);
        assertTrue(usage.contains("[default: data/customers/customer.csv] [env: CUSTOMERS_FILE]"), usage);
    }

    private static String usageError(String... args) {
        return assertThrows(UsageException.class, () -> ProducerOptions.parse(args, Map.of())).getMessage();
    }
}
