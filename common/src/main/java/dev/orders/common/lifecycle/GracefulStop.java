package dev.orders.common.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Stops queries between batches: each one once its batch in progress has written and committed, or parked
 * at its {@link BatchGate}; at the timeout, the rest are stopped anyway and their batches cut.
 *
 * <p>A query without a gate (the consumer's json or noop sink) is stopped as soon as it is seen between
 * triggers, or seen to have finished a trigger (its commit included) since the stop began: a query that
 * falls behind starts its next trigger at once, and would seldom be seen idle. The next trigger may have
 * begun in the few milliseconds before the stop: the stop then cuts a batch that has only just begun. It is
 * re-run on the next start, and the json sink commits each batch id once, so its output holds every row once.
 */
final class GracefulStop {
    private static final long POLL_MILLIS = 5;

    private final BatchGates gates;
    private final Duration timeout;

    GracefulStop(BatchGates gates, Duration timeout) {
        this.gates = gates;
        this.timeout = timeout;
    }

    /** What a stop came to. */
    record Result(List<String> cut, String committed) {
        boolean clean() {
            return cut.isEmpty();
        }
    }

    Result stop(List<StreamingQuery> queries) throws InterruptedException, TimeoutException {
        gates.closeAll();
        Map<StreamingQuery, StreamingQueryProgress> progressAtStart = new IdentityHashMap<>();
        queries.forEach(query -> progressAtStart.put(query, query.lastProgress()));
        long deadline = System.nanoTime() + timeout.toNanos();
        List<StreamingQuery> running = new ArrayList<>(queries);
        List<String> cut = new ArrayList<>();
        while (!running.isEmpty()) {
            for (Iterator<StreamingQuery> it = running.iterator(); it.hasNext(); ) {
                StreamingQuery query = it.next();
                if (!query.isActive() || isQuiet(query, progressAtStart.get(query))) {
                    query.stop();
                    it.remove();
                }
            }
            if (!running.isEmpty() && System.nanoTime() > deadline) {
                for (StreamingQuery query : running) {
                    query.stop();
                    cut.add(query.name());
                }
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        return new Result(cut, lastCommitted(queries));
    }

    private boolean isQuiet(StreamingQuery query, StreamingQueryProgress progressAtStart) {
        return gates.find(query.name()).map(gate -> gate.isQuiet(query))
                .orElseGet(() -> !query.status().isTriggerActive() || query.lastProgress() != progressAtStart);
    }

    /** {@code orders-producer batch 7}, per query, as far as this run of it knows. */
    static String lastCommitted(List<StreamingQuery> queries) {
        StringJoiner text = new StringJoiner(", ");
        for (StreamingQuery query : queries) {
            StreamingQueryProgress progress = query.lastProgress();
            if (progress == null) {
                text.add(query.name() + " no batch in this run");
                continue;
            }
            // A trigger that found no new data reports the id of the batch still to come.
            boolean ranABatch = progress.durationMs().containsKey("addBatch");
            long committed = ranABatch ? progress.batchId() : progress.batchId() - 1;
            text.add(query.name() + (committed < 0 ? " no batch yet" : " batch " + committed));
        }
        return text.toString();
    }
}
