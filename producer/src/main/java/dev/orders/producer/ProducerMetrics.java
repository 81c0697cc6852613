package dev.orders.producer;

import com.codahale.metrics.Counter;
import dev.orders.common.metrics.QueryMetricsSource;

/**
 * The producer's figures for monitoring, fed from the same {@link BatchReport} its batch log line prints:
 * lines in, published, rejected by reason, batches, the last batch's duration.
 */
public final class ProducerMetrics extends QueryMetricsSource {
    private final Counter linesIn = counter("lines_in_total");
    private final Counter published = counter("published_total");

    public ProducerMetrics() {
        super(OrdersProducer.QUERY_NAME);
    }

    public void record(BatchReport report) {
        linesIn.inc(report.linesIn());
        published.inc(report.published());
        recordBatch(report.rejected(), report.durationMillis());
    }
}
