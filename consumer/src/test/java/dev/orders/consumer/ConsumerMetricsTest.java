package dev.orders.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.codahale.metrics.MetricRegistry;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ConsumerMetricsTest {

    @Test
    void countsAddUpOverBatchesAndTheLastBatchSetsTheGauges() {
        ConsumerMetrics metrics = new ConsumerMetrics();
        metrics.record(new ConsumerBatchReport(0, 56, 35, Map.of(), 21, 0, 35, 12373, OptionalLong.of(4)));
        metrics.record(new ConsumerBatchReport(1, 10, 7, Map.of("invalid_json", 2L), 0, 1, 40, 850,
                OptionalLong.empty()));

        MetricRegistry registry = metrics.metricRegistry();
        assertEquals("pipeline.orders-consumer", metrics.sourceName());
        assertEquals(66, registry.getCounters().get("messages_in_total").getCount());
        assertEquals(42, registry.getCounters().get("rows_out_total").getCount());
        assertEquals(2, registry.getCounters().get("rejected_invalid_json_total").getCount());
        assertEquals(0, registry.getCounters().get("rejected_wrong_type_total").getCount());
        assertEquals(21, registry.getCounters().get("duplicates_total").getCount());
        assertEquals(1, registry.getCounters().get("late_total").getCount());
        assertEquals(2, registry.getCounters().get("batches_total").getCount());
        assertEquals(40L, registry.getGauges().get("state_rows").getValue());
        assertEquals(0.85, registry.getGauges().get("batch_duration_seconds").getValue());
        assertEquals(4L, registry.getGauges().get("offsets_behind_latest").getValue(), "kept when not reported");
    }

    @Test
    void everyNameIsThereBeforeTheFirstBatch() {
        Set<String> names = new TreeSet<>(new ConsumerMetrics().metricRegistry().getNames());

        assertEquals(new TreeSet<>(Set.of("messages_in_total", "rows_out_total", "duplicates_total", "late_total",
                "batches_total", "state_rows", "batch_duration_seconds", "offsets_behind_latest",
                "rejected_bad_header_total", "rejected_malformed_order_total", "rejected_unknown_customer_total",
                "rejected_file_changed_while_read_total", "rejected_implausible_date_total",
                "rejected_invalid_json_total", "rejected_wrong_type_total", "rejected_missing_field_total",
                "rejected_invalid_value_total")), names);
    }

    @Test
    void theLogLineSaysWhatTheMetricsSay() {
        assertEquals("batch 1: 10 in, 7 out, rejected {invalid_json=2, wrong_type=1}, 0 duplicates, 1 late,"
                        + " 40 state rows, 850 ms, 3 offsets behind latest",
                new ConsumerBatchReport(1, 10, 7, Map.of("wrong_type", 1L, "invalid_json", 2L), 0, 1, 40, 850,
                        OptionalLong.of(3)).summary());
        assertEquals("batch 0: 5 in, 5 out, none rejected, 0 duplicates, 0 late, 5 state rows, 90 ms",
                new ConsumerBatchReport(0, 5, 5, Map.of(), 0, 0, 5, 90, OptionalLong.empty()).summary());
    }
}
