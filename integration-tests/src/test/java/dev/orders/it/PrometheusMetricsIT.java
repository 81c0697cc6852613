package dev.orders.it;

import static dev.orders.it.ChildProcessPipeline.CONSUMER_BATCH;
import static dev.orders.it.ChildProcessPipeline.PRODUCER_BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.RejectionReason;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both apps, each its shaded jar under SparkSubmit with its Spark UI on, serve their batch figures in
 * Prometheus format at {@code /metrics/prometheus}, under names that hold no application id, with the very
 * values their batch log line reports; Spark's own streaming metrics beside them.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PrometheusMetricsIT {
    /** The whole producer batch line: {@code batch 0 [order_1.csv]: 5 lines, 3 published, rejected {...}, 840 ms}. */
    private static final Pattern PRODUCER_LINE = Pattern.compile(
            "batch (\\d+) \\[[^\\]]*\\]: (\\d+) lines, (\\d+) published, (?:none rejected|rejected \\{([^}]*)\\}), (\\d+) ms$");
    /** The whole consumer batch line, offsets behind latest included. */
    private static final Pattern CONSUMER_LINE = Pattern.compile("batch (\\d+): (\\d+) in, (\\d+) out, "
            + "(?:none rejected|rejected \\{([^}]*)\\}), (\\d+) duplicates, (\\d+) late, (\\d+) state rows, (\\d+) ms, "
            + "(\\d+) offsets behind latest$");
    private static final Duration APP_TIMEOUT = Duration.ofMinutes(4);
    private static final String PRODUCER = "metrics_orders_producer_driver_pipeline_orders_producer_";
    private static final String CONSUMER = "metrics_orders_consumer_driver_pipeline_orders_consumer_";

    @Test
    void eachAppServesTheFiguresOfItsBatchLine(@TempDir Path root) throws Exception {
        TestKafka kafka = TestKafka.local();
        PipelineFolders folders = new PipelineFolders(root);
        int uiPort = PrometheusScrape.freePort(); // the apps run one after the other
        List<String> submitOptions = List.of("--master", "local[2]", "--conf", "spark.ui.port=" + uiPort);
        try (ChildProcessPipeline pipeline = new ChildProcessPipeline(folders, kafka, 1, submitOptions)) {
            folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
            folders.addOrderFile("order_1.csv",
                    "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                    "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                    "O2,1,C2,Lamp,5.00,2024-05-01 10:05:00,2",
                    "O3,1,C9,Ghost,5.00,2024-05-01 10:06:00,1",
                    "O4,1,C1,Widget,19.99,2024-05-01 10:07:00,two");

            ChildProcessPipeline.App producer = pipeline.startProducer("--trigger-interval", "1s");
            producer.awaitLines(PRODUCER_BATCH, 1, APP_TIMEOUT);
            Matcher batch = only(producer, PRODUCER_LINE);
            assertEquals("5 3 malformed_order=1, unknown_customer=1",
                    batch.group(2) + " " + batch.group(3) + " " + batch.group(4), "what the producer's line says");
            PrometheusScrape scrape = PrometheusScrape.awaitValue(uiPort, PRODUCER + "batches_total_Count", "1",
                    Duration.ofSeconds(30));
            assertEquals(batch.group(2), scrape.value(PRODUCER + "lines_in_total_Count"));
            assertEquals(batch.group(3), scrape.value(PRODUCER + "published_total_Count"));
            assertRejected(scrape, PRODUCER, batch.group(4));
            assertSeconds(batch.group(5), scrape.value(PRODUCER + "batch_duration_seconds_Value"));
            assertStreamingMetrics(scrape, "orders_producer", "orders_producer");
            System.out.println(scrape.linesWith(List.of("_pipeline_", "spark_streaming")));
            producer.stop(Duration.ofSeconds(60));

            kafka.send(folders.topic, "not json");
            ChildProcessPipeline.App consumer = pipeline.startConsumer("--trigger-interval", "1s",
                    "--consumer-group", "orders-consumer-" + UUID.randomUUID());
            consumer.awaitLines(CONSUMER_BATCH, 1, APP_TIMEOUT);
            batch = only(consumer, CONSUMER_LINE);
            assertEquals("4 2 invalid_json=1 1 0 2 0", String.join(" ", batch.group(2), batch.group(3), batch.group(4),
                    batch.group(5), batch.group(6), batch.group(7), batch.group(9)), "what the consumer's line says");
            scrape = PrometheusScrape.awaitValue(uiPort, CONSUMER + "batches_total_Count", "1", Duration.ofSeconds(30));
            assertEquals(batch.group(2), scrape.value(CONSUMER + "messages_in_total_Count"));
            assertEquals(batch.group(3), scrape.value(CONSUMER + "rows_out_total_Count"));
            assertRejected(scrape, CONSUMER, batch.group(4));
            assertEquals(batch.group(5), scrape.value(CONSUMER + "duplicates_total_Count"));
            assertEquals(batch.group(6), scrape.value(CONSUMER + "late_total_Count"));
            assertEquals(batch.group(7), scrape.value(CONSUMER + "state_rows_Value"));
            assertSeconds(batch.group(8), scrape.value(CONSUMER + "batch_duration_seconds_Value"));
            assertEquals(batch.group(9), scrape.value(CONSUMER + "offsets_behind_latest_Value"));
            assertStreamingMetrics(scrape, "orders_consumer", "orders_consumer");
            System.out.println(scrape.linesWith(List.of("_pipeline_", "spark_streaming")));
            consumer.stop(Duration.ofSeconds(60));
        }
    }

    /** The app's one batch line that reads input, matched whole. */
    private static Matcher only(ChildProcessPipeline.App app, Pattern line) {
        List<Matcher> lines = app.matches(line);
        assertEquals(1, lines.size(), app::tail);
        return lines.get(0);
    }

    /** Each reason the line names with its count, every other reason 0. */
    private static void assertRejected(PrometheusScrape scrape, String prefix, String rejectedOnTheLine) {
        Map<String, String> expected = new TreeMap<>();
        for (RejectionReason reason : RejectionReason.values()) {
            expected.put(reason.code(), "0");
        }
        if (rejectedOnTheLine != null) {
            for (String reasonCount : rejectedOnTheLine.split(", ")) {
                String[] parts = reasonCount.split("=");
                expected.put(parts[0], parts[1]);
            }
        }
        Map<String, String> scraped = new TreeMap<>();
        for (RejectionReason reason : RejectionReason.values()) {
            scraped.put(reason.code(), scrape.value(prefix + "rejected_" + reason.code() + "_total_Count"));
        }
        assertEquals(expected, scraped);
    }

    private static void assertSeconds(String millisOnTheLine, String scrapedSeconds) {
        assertEquals(0, BigDecimal.valueOf(Long.parseLong(millisOnTheLine), 3).compareTo(new BigDecimal(scrapedSeconds)),
                () -> millisOnTheLine + " ms on the line, " + scrapedSeconds + " s scraped");
    }

    /** Spark's own gauges of the query, under the fixed namespace (never an application id). */
    private static void assertStreamingMetrics(PrometheusScrape scrape, String namespace, String query) {
        String prefix = "metrics_" + namespace + "_driver_spark_streaming_" + query + "_";
        assertTrue(scrape.samples().containsKey(prefix + "inputRate_total_Value"), scrape::text);
        assertTrue(scrape.samples().containsKey(prefix + "latency_Value"), scrape::text);
        assertTrue(scrape.samples().keySet().stream().noneMatch(name -> name.contains("local_")),
                "no application id (local-...) in any name");
    }
}
