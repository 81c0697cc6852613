package dev.orders.consumer;

import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * What one batch of the orders query did, read from Spark's progress report (nothing is counted again):
 * every message in is in exactly one of out, rejected, duplicates and late. The batch log line and the
 * metrics both come from it.
 *
 * @param offsetsBehindLatest the Kafka source's {@code maxOffsetsBehindLatest}: how far the partition
 *     furthest behind was from its end when the batch was planned; empty when the source did not report it
 */
public record ConsumerBatchReport(
        long batchId,
        long messagesIn,
        long rowsOut,
        Map<String, Long> rejected,
        long duplicates,
        long late,
        long stateRows,
        long durationMillis,
        OptionalLong offsetsBehindLatest) {

    public ConsumerBatchReport {
        rejected = Map.copyOf(rejected);
    }

    public static ConsumerBatchReport of(StreamingQueryProgress progress) {
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
        return new ConsumerBatchReport(
                progress.batchId(),
                progress.numInputRows(),
                output == null ? 0 : ((Number) output.getAs("rows")).longValue(),
                rejected,
                state == null ? 0 : duplicatesDropped(state),
                state == null ? 0 : state.numRowsDroppedByWatermark(),
                state == null ? 0 : state.numRowsTotal(),
                progress.durationMs().getOrDefault("triggerExecution", 0L),
                offsetsBehindLatest(progress.sources()));
    }

    /**
     * {@code batch 3: 100 in, 95 out, rejected {invalid_json=1}, 3 duplicates, 1 late, 200 state rows, 850 ms,
     * 0 offsets behind latest}.
     */
    public String summary() {
        return String.format("batch %d: %d in, %d out, %s, %d duplicates, %d late, %d state rows, %d ms%s",
                batchId, messagesIn, rowsOut,
                rejected.isEmpty() ? "none rejected" : "rejected " + new TreeMap<>(rejected).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", ", "{", "}")),
                duplicates, late, stateRows, durationMillis,
                offsetsBehindLatest.isPresent() ? ", " + offsetsBehindLatest.getAsLong() + " offsets behind latest"
                        : "");
    }

    private static long duplicatesDropped(StateOperatorProgress state) {
        Long dropped = state.customMetrics().get("numDroppedDuplicateRows");
        return dropped == null ? 0 : dropped;
    }

    private static OptionalLong offsetsBehindLatest(SourceProgress[] sources) {
        if (sources.length == 0 || sources[0].metrics() == null) {
            return OptionalLong.empty();
        }
        String max = sources[0].metrics().get("maxOffsetsBehindLatest");
        return max == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(max));
    }
}
