package dev.orders.consumer;

import com.codahale.metrics.Counter;
import dev.orders.common.metrics.QueryMetricsSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The orders query's figures for monitoring, fed from the same {@link ConsumerBatchReport} its batch log
 * line prints: messages in, rows out, rejected by reason, duplicates, late, batches; and of the last batch,
 * its state rows, its duration and how far behind the topic's end it was.
 */
public final class ConsumerMetrics extends QueryMetricsSource {
    private final Counter messagesIn = counter("messages_in_total");
    private final Counter rowsOut = counter("rows_out_total");
    private final Counter duplicates = counter("duplicates_total");
    private final Counter late = counter("late_total");
    private final AtomicLong stateRows = new AtomicLong();
    private final AtomicLong offsetsBehindLatest = new AtomicLong();

    public ConsumerMetrics() {
        super(OrdersConsumer.ORDERS_QUERY);
        gauge("state_rows", stateRows::get);
        gauge("offsets_behind_latest", offsetsBehindLatest::get);
    }

    public void record(ConsumerBatchReport report) {
        messagesIn.inc(report.messagesIn());
        rowsOut.inc(report.rowsOut());
        duplicates.inc(report.duplicates());
        late.inc(report.late());
        stateRows.set(report.stateRows());
        report.offsetsBehindLatest().ifPresent(offsetsBehindLatest::set);
        recordBatch(report.rejected(), report.durationMillis());
    }
}
