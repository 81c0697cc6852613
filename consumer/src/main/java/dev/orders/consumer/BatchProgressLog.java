package dev.orders.consumer;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One line per consumer batch, from Spark's own progress report: messages in, rows out, rejections by
 * reason, duplicates and late rows dropped, state rows kept, and how long the batch took. Every message
 * is in exactly one of out, rejected, duplicates and late.
 */
public final class BatchProgressLog extends StreamingQueryListener {
    private static final Logger log = LoggerFactory.getLogger(BatchProgressLog.class);

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        log.debug("{}", progress.json()); // Spark's whole report: time per phase, offsets, state store
        if (OrdersConsumer.ORDERS_QUERY.equals(progress.name()) && progress.numInputRows() > 0) {
            log.info(summary(progress));
        }
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
    }

    /** {@code batch 3: 100 in, 95 out, rejected {invalid_json=1}, 3 duplicates, 1 late, 200 state rows, 850 ms}. */
    public static String summary(StreamingQueryProgress progress) {
        Map<String, Row> observed = progress.observedMetrics();
        Row input = observed.get(OrdersConsumer.INPUT_METRICS);
        Row output = observed.get(OrdersConsumer.OUTPUT_METRICS);
        Map<String, Long> rejected = new TreeMap<>();
        if (input != null) {
            for (String field : input.schema().fieldNames()) {
                long n = ((Number) input.getAs(field)).longValue();
                if (!field.equals("rows") && n > 0) {
                    rejected.put(field, n);
                }
            }
        }
        StateOperatorProgress state = progress.stateOperators().length > 0 ? progress.stateOperators()[0] : null;
        return String.format("batch %d: %d in, %d out, %s, %d duplicates, %d late, %d state rows, %d ms",
                progress.batchId(),
                progress.numInputRows(),
                output == null ? 0 : ((Number) output.getAs("rows")).longValue(),
                rejected.isEmpty() ? "none rejected" : "rejected " + rejected.entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}")),
                state == null ? 0 : duplicatesDropped(state),
                state == null ? 0 : state.numRowsDroppedByWatermark(),
                state == null ? 0 : state.numRowsTotal(),
                progress.durationMs().getOrDefault("triggerExecution", 0L));
    }

    private static long duplicatesDropped(StateOperatorProgress state) {
        Long dropped = state.customMetrics().get("numDroppedDuplicateRows");
        return dropped == null ? 0 : dropped;
    }
}
