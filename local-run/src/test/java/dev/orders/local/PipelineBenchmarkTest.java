package dev.orders.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineBenchmarkTest {

    @Test
    void producerBatchLinesAddUp() {
        PipelineBenchmark.AppRun run = PipelineBenchmark.summarize("producer", List.of(
                "10:00:05.000 INFO  OrdersProducerApp: producer: /data -> order_details",
                "10:00:10.000 INFO  OrdersProducerApp: batch 0 [order_1.csv]: 100 lines, 98 published, rejected {unknown_customer=2}, 2000 ms",
                "10:00:12.500 INFO  OrdersProducerApp: batch 1 [order_2.csv]: 50 lines, 50 published, none rejected, 500 ms"),
                20_000, 300);

        assertEquals(new PipelineBenchmark.AppRun("producer", 150, 148, 2, 4500, 20_000, 0, 300, 0, 0,
                List.of(2000L, 500L), List.of(2000L, 4500L)), run);
        assertEquals(500, run.medianWarmBatchMillis());
        assertEquals(2500, run.medianWarmTriggerMillis());
        assertEquals(150 * 1000.0 / 4500, run.rowsPerSecond(), 1e-9);
    }

    @Test
    void consumerBatchLinesAddUpAndKeepThePeakStateRows() {
        PipelineBenchmark.AppRun run = PipelineBenchmark.summarize("consumer", List.of(
                "10:00:10.000 INFO  BatchProgressLog: batch 0: 1000 in, 950 out, none rejected, 50 duplicates, 0 late, 950 state rows, 4000 ms",
                "10:00:11.000 INFO  BatchProgressLog: batch 1: 10 in, 8 out, rejected {invalid_json=1}, 0 duplicates, 1 late, 400 state rows, 900 ms, 0 offsets behind latest"),
                9_000, 700);

        assertEquals(new PipelineBenchmark.AppRun("consumer", 1010, 958, 2, 5000, 9_000, 950, 700, 50, 1,
                List.of(4000L, 900L), List.of(4000L, 5000L)), run);
    }

    @Test
    void aWarmTriggerIsTheMedianTimeBetweenBatchEndsInTheSecondHalf() {
        PipelineBenchmark.AppRun run = PipelineBenchmark.summarize("producer", List.of(
                "10:00:10.000 INFO  OrdersProducerApp: batch 0 [a.csv]: 1 lines, 1 published, none rejected, 3000 ms",
                "10:00:11.000 INFO  OrdersProducerApp: batch 1 [b.csv]: 1 lines, 1 published, none rejected, 200 ms",
                "10:00:11.300 INFO  OrdersProducerApp: batch 2 [c.csv]: 1 lines, 1 published, none rejected, 200 ms",
                "10:00:11.700 INFO  OrdersProducerApp: batch 3 [d.csv]: 1 lines, 1 published, none rejected, 200 ms",
                "10:00:12.000 INFO  OrdersProducerApp: batch 4 [e.csv]: 1 lines, 1 published, none rejected, 200 ms"),
                20_000, 300);

        // Intervals of the second half: 300, 400, 300 ms.
        assertEquals(300, run.medianWarmTriggerMillis());
    }

    @Test
    void theCustomersLineIsTheProducersFirstRead() {
        assertEquals("customers: read 1000000 from file:/d/customer.csv; 28.0 MB in memory, joined by shuffle",
                PipelineBenchmark.customersRead(List.of(
                        "10:00:05.000 INFO  OrdersProducerApp: producer: /data -> order_details",
                        "10:00:07.000 INFO  CustomerTable: customers: read 1000000 from file:/d/customer.csv; 28.0 MB"
                                + " in memory, joined by shuffle",
                        "10:00:09.000 INFO  CustomerTable: customers: read 999 from file:/d/customer.csv")));
        assertEquals("(no customers line)", PipelineBenchmark.customersRead(List.of()));
    }

    @Test
    void percentilesAreNearestRank() {
        List<Long> sorted = List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L, 12L, 13L, 14L, 15L, 16L, 17L, 18L,
                19L, 20L);
        assertEquals(10, PipelineBenchmark.percentile(sorted, 50));
        assertEquals(19, PipelineBenchmark.percentile(sorted, 95));
        assertEquals(20, PipelineBenchmark.percentile(sorted, 100));
    }
}
