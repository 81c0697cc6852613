package dev.orders.common.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.orders.common.cli.UsageException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConsumerOptionsTest {

    @Test
    void defaultsReadTheTopicFromTheStartAndPrintToTheConsole() {
        ConsumerOptions options = ConsumerOptions.parse(new String[0], Map.of());

        assertEquals("10 minutes", options.watermark());
        assertEquals("earliest", options.startingOffsets());
        assertEquals(ConsumerOptions.Sink.CONSOLE, options.sink());
        assertEquals(Optional.empty(), options.outputDir());
        assertEquals("60 seconds", options.deadLetterTriggerInterval());
        assertEquals(false, options.skipLostOffsets());
        assertEquals(Optional.of("orders-consumer"), options.consumerGroup());
    }

    @Test
    void batchOffsetsGoToTheNamedConsumerGroupUnlessTurnedOff() {
        assertEquals(Optional.of("lag-watch"),
                ConsumerOptions.parse(new String[] {"--consumer-group", "lag-watch"}, Map.of()).consumerGroup());
        assertEquals(Optional.of("from-env"),
                ConsumerOptions.parse(new String[0], Map.of("CONSUMER_GROUP", "from-env")).consumerGroup());
        assertEquals(Optional.empty(), ConsumerOptions.parse(new String[] {"--no-group-commit"}, Map.of())
                .consumerGroup());
        assertEquals(Optional.empty(), ConsumerOptions.parse(new String[0], Map.of("NO_GROUP_COMMIT", "true"))
                .consumerGroup());
        assertEquals("--consumer-group needs a value: --consumer-group NAME", usageError("--consumer-group"));
    }

    @Test
    void lostOffsetsAreSkippedOnlyWhenAskedFor() {
        assertEquals(true, ConsumerOptions.parse(new String[] {"--skip-lost-offsets"}, Map.of()).skipLostOffsets());
        assertEquals(true, ConsumerOptions.parse(new String[0], Map.of("SKIP_LOST_OFFSETS", "true")).skipLostOffsets());
        assertEquals(false, ConsumerOptions.parse(new String[0], Map.of("SKIP_LOST_OFFSETS", "false")).skipLostOffsets());
        assertEquals("SKIP_LOST_OFFSETS must be true or false, not 'yes please'", assertThrows(UsageException.class,
                () -> ConsumerOptions.parse(new String[0], Map.of("SKIP_LOST_OFFSETS", "yes please"))).getMessage());
    }

    @Test
    void theDeadLetterQueryRunsAtItsOwnInterval() {
        ConsumerOptions options = ConsumerOptions.parse(new String[] {"--dead-letter-trigger-interval", "5s"},
                Map.of("TRIGGER_INTERVAL", "2s"));

        assertEquals("5 seconds", options.deadLetterTriggerInterval());
        assertEquals("2 seconds", options.common().triggerInterval());
    }

    @Test
    void jsonSinkWritesToTheOutputFolder() {
        ConsumerOptions options = ConsumerOptions.parse(
                new String[] {"--sink", "json", "--output-dir", "/tmp/out", "--watermark", "5m"}, Map.of());

        assertEquals(ConsumerOptions.Sink.JSON, options.sink());
        assertEquals(Optional.of("/tmp/out"), options.outputDir());
        assertEquals("5 minutes", options.watermark());
    }

    @Test
    void badValuesAreNamed() {
        assertEquals("--sink json needs --output-dir DIR", usageError("--sink", "json"));
        assertEquals("--sink must be one of console|json|noop, not 'kafka'", usageError("--sink", "kafka"));
        assertEquals("--starting-offsets must be one of earliest|latest, not 'newest'",
                usageError("--starting-offsets", "newest"));
        assertEquals("--watermark must be a duration such as '10 seconds' or '500 ms', not '10'",
                usageError("--watermark", "10"));
        assertEquals("AVAILABLE_NOW must be true or false, not 'maybe'",
                assertThrows(UsageException.class,
                        () -> ConsumerOptions.parse(new String[0], Map.of("AVAILABLE_NOW", "maybe"))).getMessage());
    }

    private static String usageError(String... args) {
        return assertThrows(UsageException.class, () -> ConsumerOptions.parse(args, Map.of())).getMessage();
    }
}
