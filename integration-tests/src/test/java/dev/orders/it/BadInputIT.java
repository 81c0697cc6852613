package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.common.EventTimes;
import dev.orders.common.Schemas;
import dev.orders.producer.BatchReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Input the pipeline must not trust, against the real broker: order files with a wrong header or no CSV
 * at all, malformed order lines, and messages on order_details that are not order lines. Every bad input
 * is accounted for as a dead letter with its reason, and nothing bad reaches the output.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class BadInputIT {
    private static final String BAD_HEADER_ERROR = "the file does not start with the header " + Schemas.ORDER_FILE_HEADER;
    /** An order_details message as the producer writes it (the format of OrderDetailsParsingTest). */
    private static final String GOOD_O1 = "{\"customer_id\":\"C1\",\"name\":\"Alice\",\"age\":30,\"city\":\"Paris\","
            + "\"order_id\":\"O1\",\"order_line_id\":1,\"product\":\"Widget\",\"amount\":19.99,"
            + "\"order_date\":\"2024-05-01T12:00:00.000+02:00\",\"quantity\":3}";
    private static final String GOOD_O2 = "{\"customer_id\":\"C2\",\"name\":\"Bob\",\"age\":41,\"city\":\"Berlin\","
            + "\"order_id\":\"O2\",\"order_line_id\":1,\"product\":\"Lamp\",\"amount\":0.10,"
            + "\"order_date\":\"2024-05-01T10:01:00.000Z\",\"quantity\":7}";
    private static final String ROW_O1 = "O1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:00:00Z|3|59.97";
    private static final String ROW_O2 = "O2|1|C2|Bob|41|Berlin|Lamp|0.10|2024-05-01T10:01:00Z|7|0.70";

    @Test
    void filesWithAWrongHeaderOrNoCsvAtAllAreDeadLetteredLineByLineAndTheNextFileStillGoesThrough(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
        // Lines that would make good orders, under the wrong header: rejected all the same.
        List<String> wrongHeader = List.of(
                "id,line,customer,product,amount,date,qty",
                "W1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                "W2,1,C2,Lamp,5.00,2024-05-01 10:01:00,1");
        // JSON lines: after the first, one splits into seven comma-separated columns, one into fewer.
        List<String> json = List.of(
                "{\"order_id\": \"J1\", \"order_line_id\": 1, \"customer_id\": \"C1\", \"product\": \"Pen\","
                        + " \"amount\": 2.00, \"order_date\": \"2024-05-01 10:00:00\", \"quantity\": 1}",
                "{\"order_id\": \"J2\", \"order_line_id\": 1, \"customer_id\": \"C2\", \"product\": \"Ink\","
                        + " \"amount\": 3.50, \"order_date\": \"2024-05-01 10:02:00\", \"quantity\": 2}",
                "{\"order_id\": \"J3\", \"customer_id\": \"C1\"}");
        folders.addRawOrderFile("order_1.csv", String.join("\n", wrongHeader) + "\n");
        folders.addRawOrderFile("order_2.csv", String.join("\n", json) + "\n");
        folders.addOrderFile("order_3.csv",
                "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                "O2,1,C2,Lamp,0.10,2024-05-01 10:01:00,7");

        pipeline.runProducer(); // one --available-now run over the three files
        pipeline.runConsumer();

        assertEquals(List.of(ROW_O1, ROW_O2), pipeline.output());
        assertEquals(List.of("O1", "O2"), pipeline.publishedOrders().stream()
                .map(order -> order.get("order_id").asText()).sorted().toList());

        // One batch per file (--max-files-per-trigger 1), each line counted once.
        Map<String, BatchReport> reports = reportsByFile(pipeline.producerReports);
        assertEquals(List.of("order_1.csv", "order_2.csv", "order_3.csv"), List.copyOf(reports.keySet()));
        assertReport(reports.get("order_1.csv"), 3, 0, Map.of("bad_header", 3L));
        assertReport(reports.get("order_2.csv"), 3, 0, Map.of("bad_header", 3L));
        assertReport(reports.get("order_3.csv"), 2, 2, Map.of());
        for (BatchReport report : pipeline.producerReports) {
            assertEquals(report.linesIn(), report.published() + report.rejectedTotal(), report.summary());
        }

        // Every line of both bad files, the first line included, is a dead letter with the line as it was.
        List<JsonNode> deadLetters = pipeline.deadLetters();
        List<String> expected = new ArrayList<>();
        wrongHeader.forEach(line -> expected.add("order_1.csv|producer|bad_header|" + BAD_HEADER_ERROR + "|" + line));
        json.forEach(line -> expected.add("order_2.csv|producer|bad_header|" + BAD_HEADER_ERROR + "|" + line));
        expected.sort(null);
        assertEquals(expected, deadLetters.stream().map(BadInputIT::describe).sorted().toList());
        for (JsonNode letter : deadLetters) {
            String file = fileName(letter.get("source").asText());
            assertEquals(reports.get(file).batchId(), letter.get("batch_id").asLong(), letter.toString());
        }
    }

    @Test
    void malformedOrderLinesAreDeadLetteredWithTheirErrorAndTheGoodLinesBesideThemGoThrough(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        InProcessPipeline pipeline = new InProcessPipeline(folders, TestKafka.local());
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
        // line -> the error it is rejected with
        Map<String, String> malformed = new TreeMap<>(Map.of(
                "M1,1,C1,Widget,19.99,2024-05-01 10:00:00", "expected 7 comma-separated columns",
                "M2,1,C1,Widget,19.99,2024-05-01 10:00:00,3,extra", "expected 7 comma-separated columns",
                "M3,1,C1,Widget,19.99,2024-05-01 10:00:00,three", "quantity is not a non-negative whole number: 'three'",
                "M4,1,C1,Widget,19.99,2024-05-01 10:00:00,-2", "quantity is not a non-negative whole number: '-2'",
                "M5,1,C1,Widget,19.999,2024-05-01 10:00:00,1",
                "amount is not a non-negative decimal with at most 2 places: '19.999'",
                "M6,1,C1,Widget,19.99,yesterday noon,1", "order_date is not " + EventTimes.FORMATS + ": 'yesterday noon'",
                ",1,C1,Widget,19.99,2024-05-01 10:00:00,1", "order_id is empty",
                "M8,,C1,Widget,19.99,2024-05-01 10:00:00,1", "order_line_id is not a whole number: ''",
                "M9,1,,Widget,19.99,2024-05-01 10:00:00,1", "customer_id is empty"));
        List<String> lines = new ArrayList<>();
        lines.add("O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3");
        lines.addAll(malformed.keySet());
        lines.add("O2,1,C2,Lamp,0.10,2024-05-01 10:01:00,7");
        folders.addOrderFile("order_1.csv", lines.toArray(String[]::new));

        pipeline.runProducer();
        pipeline.runConsumer();

        assertEquals(List.of(ROW_O1, ROW_O2), pipeline.output());
        assertEquals(0, pipeline.outputRowsWithANull());
        assertEquals(List.of("O1", "O2"), pipeline.publishedOrders().stream()
                .map(order -> order.get("order_id").asText()).sorted().toList());

        assertEquals(1, pipeline.producerReports.size());
        assertReport(pipeline.producerReports.get(0), 11, 2, Map.of("malformed_order", 9L));

        List<String> expected = malformed.entrySet().stream()
                .map(e -> "order_1.csv|producer|malformed_order|" + e.getValue() + "|" + e.getKey())
                .sorted().toList();
        assertEquals(expected, pipeline.deadLetters().stream().map(BadInputIT::describe).sorted().toList());
    }

    @Test
    void messagesThatAreNotOrderLinesAreDeadLetteredByTheConsumerWithTheirReason(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka);
        // At offsets 0 to 6: bad, good, bad, bad, bad, bad, good.
        List<String> values = List.of(
                "not json at all",
                GOOD_O1,
                "[1,2,3]",
                GOOD_O1.replace("\"order_id\":\"O1\",", ""),
                GOOD_O1.replace("\"quantity\":3", "\"quantity\":\"three\"").replace("\"O1\"", "\"O3\""),
                GOOD_O1.replace("\"order_date\":\"2024-05-01T12:00:00.000+02:00\"", "\"order_date\":null")
                        .replace("\"O1\"", "\"O4\""),
                GOOD_O2);
        List<Long> offsets = kafka.send(folders.topic, values.toArray(String[]::new));
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), offsets);

        List<StreamingQueryProgress> progress = pipeline.runConsumer();

        assertEquals(List.of(ROW_O1, ROW_O2), pipeline.output());
        assertEquals(0, pipeline.outputRowsWithANull());

        String source = folders.topic + "-0-";
        assertEquals(List.of(
                "consumer|invalid_json|not a JSON object|" + values.get(0) + "|" + source + "0",
                "consumer|invalid_json|not a JSON object|" + values.get(2) + "|" + source + "2",
                "consumer|missing_field|missing or null: order_id|" + values.get(3) + "|" + source + "3",
                "consumer|wrong_type|wrong type: quantity|" + values.get(4) + "|" + source + "4",
                "consumer|missing_field|missing or null: order_date|" + values.get(5) + "|" + source + "5"),
                kafka.readAll(folders.deadLetterTopic).stream().map(BadInputIT::describeWithSource)
                        .sorted(Comparator.comparingLong(s -> Long.parseLong(s.substring(s.lastIndexOf('-') + 1))))
                        .toList());

        Map<String, Long> counts = InProcessPipeline.inputCounts(progress);
        assertEquals(Map.of("rows", 7L, "bad_header", 0L, "malformed_order", 0L, "unknown_customer", 0L,
                "file_changed_while_read", 0L, "implausible_date", 0L, "invalid_json", 2L, "wrong_type", 1L,
                "missing_field", 2L, "invalid_value", 0L), counts);
        assertEquals(7, InProcessPipeline.sum(progress, StreamingQueryProgress::numInputRows));
    }

    @Test
    void withNoDeadLetterRejectionsAreCountedButNothingIsWrittenToTheDeadLetterTopic(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        TestKafka kafka = TestKafka.local();
        InProcessPipeline pipeline = new InProcessPipeline(folders, kafka);
        folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
        folders.addOrderFile("order_1.csv",
                "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                "O3,1,C9,Ghost,5.00,2024-05-01 10:06:00,1",
                "O4,1,C1,Widget,19.999,2024-05-01 10:07:00,1",
                "O5,1,C2,Lamp,1.00,2024-05-01 10:08:00");
        folders.addRawOrderFile("order_2.csv", "id,line,customer,product,amount,date,qty\n"
                + "O6,1,C1,Widget,19.99,2024-05-01 10:09:00,3\n");

        pipeline.runProducerWith("--no-dead-letter");

        Map<String, BatchReport> reports = reportsByFile(pipeline.producerReports);
        assertEquals(List.of("order_1.csv", "order_2.csv"), List.copyOf(reports.keySet()));
        assertReport(reports.get("order_1.csv"), 4, 1, Map.of("unknown_customer", 1L, "malformed_order", 2L));
        assertReport(reports.get("order_2.csv"), 2, 0, Map.of("bad_header", 2L));
        assertEquals(List.of("O1"), pipeline.publishedOrders().stream()
                .map(order -> order.get("order_id").asText()).toList());
        assertEquals(List.of(), pipeline.deadLetters());

        // The consumer too: a bad message is counted, not published.
        kafka.send(folders.topic, "not json at all");
        List<StreamingQueryProgress> progress = pipeline.runConsumerWith("--no-dead-letter");

        assertEquals(List.of(ROW_O1), pipeline.output());
        assertEquals(2L, InProcessPipeline.inputCounts(progress).get("rows"));
        assertEquals(1L, InProcessPipeline.inputCounts(progress).get("invalid_json"));
        assertEquals(List.of(), pipeline.deadLetters());
    }

    private static Map<String, BatchReport> reportsByFile(List<BatchReport> reports) {
        Map<String, BatchReport> byFile = new TreeMap<>();
        for (BatchReport report : reports) {
            assertEquals(1, report.files().size(), report.summary());
            BatchReport before = byFile.put(fileName(report.files().get(0)), report);
            assertNull(before, () -> "a file read twice: " + report.summary());
        }
        return byFile;
    }

    private static void assertReport(BatchReport report, long linesIn, long published, Map<String, Long> rejected) {
        assertEquals(linesIn, report.linesIn(), report.summary());
        assertEquals(published, report.published(), report.summary());
        assertEquals(rejected, report.rejected(), report.summary());
        assertEquals(report.linesIn(), report.published() + report.rejectedTotal(), report.summary());
    }

    /** {@code file|stage|reason|error|raw} of a producer dead letter; file is what its source ends with. */
    private static String describe(JsonNode letter) {
        return String.join("|", fileName(letter.get("source").asText()), letter.get("stage").asText(),
                letter.get("reason").asText(), letter.get("error").asText(), letter.get("raw").asText());
    }

    /** {@code stage|reason|error|raw|source} of a consumer dead letter. */
    private static String describeWithSource(ConsumerRecord<String, String> record) {
        JsonNode letter = parse(record.value());
        return String.join("|", letter.get("stage").asText(), letter.get("reason").asText(),
                letter.get("error").asText(), letter.get("raw").asText(), letter.get("source").asText());
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
