package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orders.it.PoisonInputs.Case;
import dev.orders.producer.BatchReport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A thousand mutated order lines through the producer and a thousand mutated messages through the consumer,
 * on the real broker. Each input is generated with the outcome it is owed (published or output, a duplicate,
 * or a dead letter with its reason); both apps must run to the end, and every input must be found exactly
 * once, where it is owed. The seed is fixed so that a failure replays; {@code -Dfuzz.seed=N} tries another.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PoisonInputFuzzIT {
    private static final long SEED = Long.getLong("fuzz.seed", 20261126L);
    private static final int INPUTS = 1000;
    private static final int FILES = 4;

    @Test
    void everyMutatedOrderLineIsPublishedOrDeadLetteredWithItsReasonExactlyOnce(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers(PoisonInputs.CUSTOMERS.toArray(String[]::new));
        List<Case> lines = new PoisonInputs(SEED).csvLines(INPUTS);
        int perFile = INPUTS / FILES;
        for (int file = 0; file < FILES; file++) {
            folders.addOrderFile("order_" + file + ".csv", lines.subList(file * perFile, (file + 1) * perFile).stream()
                    .map(Case::text).toArray(String[]::new));
        }

        pipeline.runProducer();

        assertEquals(FILES, pipeline.producerReports.size());
        long linesIn = pipeline.producerReports.stream().mapToLong(BatchReport::linesIn).sum();
        assertEquals(INPUTS, linesIn, "every line read once");
        List<String> published = pipeline.publishedOrders().stream().map(o -> o.get("order_id").asText()).sorted()
                .toList();
        assertEquals(idsOwed(lines, PoisonInputs.PUBLISHED), published);
        assertEquals(deadLettersOwed(lines), pipeline.deadLetters().stream()
                .map(letter -> letter.get("reason").asText() + "|" + letter.get("raw").asText()).sorted().toList());
        assertEquals(countsByOutcome(lines), reportedCounts(pipeline.producerReports));

        List<StreamingQueryProgress> progress = pipeline.runConsumer();

        assertEquals(published, pipeline.output().stream().map(row -> row.substring(0, row.indexOf('|'))).toList());
        assertEquals(published.size(), InProcessPipeline.inputCounts(progress).get("rows"));
        assertEquals(0, InProcessPipeline.sum(progress, InProcessPipeline::duplicatesDropped));
        assertEquals(0, InProcessPipeline.sum(progress, InProcessPipeline::lateDropped));
        assertEquals(List.of(), pipeline.deadLetters().stream().filter(l -> l.get("stage").asText().equals("consumer"))
                .toList(), "the consumer accepts everything the producer publishes");
    }

    @Test
    void everyMutatedMessageIsOutputCountedOrDeadLetteredWithItsReasonExactlyOnce(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka);
        List<Case> messages = new PoisonInputs(SEED + 1).messages(INPUTS);
        List<Long> offsets = kafka.sendBytes(folders.topic, messages.stream().map(Case::value).toList());
        assertEquals(LongStream.range(0, INPUTS).boxed().toList(), offsets);

        List<StreamingQueryProgress> progress = pipeline.runConsumer(); // one batch: nothing can be late

        assertEquals(idsOwed(messages, PoisonInputs.OUTPUT), pipeline.output().stream()
                .map(row -> row.substring(0, row.indexOf('|'))).toList());
        Map<Long, String> owed = new TreeMap<>();
        for (int offset = 0; offset < INPUTS; offset++) {
            String expected = messages.get(offset).expected();
            if (!expected.equals(PoisonInputs.OUTPUT) && !expected.equals(PoisonInputs.DUPLICATE)) {
                owed.put((long) offset, expected + " (" + messages.get(offset).mutation() + ")");
            }
        }
        Map<Long, String> deadLettered = new TreeMap<>();
        for (JsonNode letter : pipeline.deadLetters()) {
            String source = letter.get("source").asText();
            long offset = Long.parseLong(source.substring(source.lastIndexOf('-') + 1));
            String before = deadLettered.put(offset, letter.get("reason").asText() + " ("
                    + messages.get((int) offset).mutation() + ")");
            assertEquals(null, before, "dead-lettered twice: " + source);
        }
        assertEquals(owed, deadLettered);

        long duplicates = messages.stream().filter(m -> m.expected().equals(PoisonInputs.DUPLICATE)).count();
        assertEquals(duplicates, InProcessPipeline.sum(progress, InProcessPipeline::duplicatesDropped));
        assertEquals(0, InProcessPipeline.sum(progress, InProcessPipeline::lateDropped));
        Map<String, Long> inputCounts = InProcessPipeline.inputCounts(progress);
        assertEquals(INPUTS, inputCounts.get("rows"));
        long rejected = inputCounts.entrySet().stream().filter(e -> !e.getKey().equals("rows"))
                .mapToLong(Map.Entry::getValue).sum();
        assertEquals(INPUTS, pipeline.output().size() + rejected + duplicates, "output + dead letters + duplicates");
    }

    private static List<String> idsOwed(List<Case> cases, String outcome) {
        return cases.stream().filter(c -> c.expected().equals(outcome)).map(Case::id).sorted().toList();
    }

    private static List<String> deadLettersOwed(List<Case> lines) {
        List<String> owed = new ArrayList<>();
        for (Case line : lines) {
            if (!line.expected().equals(PoisonInputs.PUBLISHED)) {
                owed.add(line.expected() + "|" + line.text());
            }
        }
        owed.sort(null);
        return owed;
    }

    private static Map<String, Long> countsByOutcome(List<Case> cases) {
        return new TreeMap<>(cases.stream().collect(Collectors.groupingBy(Case::expected, Collectors.counting())));
    }

    private static Map<String, Long> reportedCounts(List<BatchReport> reports) {
        Map<String, Long> counts = new TreeMap<>();
        for (BatchReport report : reports) {
            counts.merge(PoisonInputs.PUBLISHED, report.published(), Long::sum);
            report.rejected().forEach((reason, n) -> counts.merge(reason, n, Long::sum));
        }
        return counts;
    }
}
