package dev.orders.producer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.codahale.metrics.MetricRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerMetricsTest {

    @Test
    void countsAddUpOverBatchesAndTheLastBatchSetsItsDuration() {
        ProducerMetrics metrics = new ProducerMetrics();
        metrics.record(new BatchReport(0, List.of("order_1.csv"), 20, 20, Map.of(), 4406));
        metrics.record(new BatchReport(1, List.of("order_2.csv"), 20, 18,
                Map.of("malformed_order", 1L, "unknown_customer", 1L), 1285));

        MetricRegistry registry = metrics.metricRegistry();
        assertEquals("pipeline.orders-producer", metrics.sourceName());
        assertEquals(40, registry.getCounters().get("lines_in_total").getCount());
        assertEquals(38, registry.getCounters().get("published_total").getCount());
        assertEquals(1, registry.getCounters().get("rejected_malformed_order_total").getCount());
        assertEquals(1, registry.getCounters().get("rejected_unknown_customer_total").getCount());
        assertEquals(0, registry.getCounters().get("rejected_bad_header_total").getCount());
        assertEquals(2, registry.getCounters().get("batches_total").getCount());
        assertEquals(1.285, registry.getGauges().get("batch_duration_seconds").getValue());
    }
}
