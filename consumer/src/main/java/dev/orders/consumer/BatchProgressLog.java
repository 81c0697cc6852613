package dev.orders.consumer;

import java.util.function.Consumer;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per batch of the orders query that read messages, from Spark's own progress report (see
 * {@link ConsumerBatchReport}); the same report goes on to whoever else wants it (the metrics).
 */
public final class BatchProgressLog extends StreamingQueryListener {
    private static final Logger log = LoggerFactory.getLogger(BatchProgressLog.class);

    private final Consumer<ConsumerBatchReport> reports;

    public BatchProgressLog(Consumer<ConsumerBatchReport> reports) {
        this.reports = reports;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        if (log.isDebugEnabled()) { // Spark's whole report: time per phase, offsets, state store
            log.debug(progress.json());
        }
        if (OrdersConsumer.ORDERS_QUERY.equals(progress.name()) && progress.numInputRows() > 0) {
            ConsumerBatchReport report = ConsumerBatchReport.of(progress);
            log.info(report.summary());
            reports.accept(report);
        }
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
    }
}
