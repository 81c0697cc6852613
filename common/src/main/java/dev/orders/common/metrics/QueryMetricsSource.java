package dev.orders.common.metrics;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import dev.orders.common.RejectionReason;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkEnv;
import org.apache.spark.metrics.source.Source;

/**
 * A query's own figures as a Spark metrics source, served by Spark's metrics system with Spark's own (on the
 * UI's Prometheus endpoint among others) as {@code <namespace>.driver.pipeline.<query>.<metric>}. Every metric
 * is made when the source is, before Spark copies them into its registry, so the names are the same from the
 * first scrape on, each rejection reason included.
 */
public abstract class QueryMetricsSource implements Source {
    private final String sourceName;
    private final MetricRegistry registry = new MetricRegistry();
    private final Map<RejectionReason, Counter> rejected = new EnumMap<>(RejectionReason.class);
    private final Counter batches;
    private final AtomicLong batchDurationMillis = new AtomicLong();

    protected QueryMetricsSource(String queryName) {
        this.sourceName = "pipeline." + queryName;
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.put(reason, counter("rejected_" + reason.code() + "_total"));
        }
        batches = counter("batches_total");
        gauge("batch_duration_seconds", () -> batchDurationMillis.get() / 1000.0);
    }

    @Override
    public String sourceName() {
        return sourceName;
    }

    @Override
    public MetricRegistry metricRegistry() {
        return registry;
    }

    /** Serves these metrics from the running Spark context's metrics system. */
    public void register() {
        SparkEnv.get().metricsSystem().registerSource(this);
    }

    protected final Counter counter(String name) {
        return registry.counter(name);
    }

    protected final void gauge(String name, Gauge<?> gauge) {
        registry.register(name, gauge);
    }

    /** A finished batch: its rejections by reason code, and how long it took. */
    protected final void recordBatch(Map<String, Long> rejectedByReason, long durationMillis) {
        for (RejectionReason reason : RejectionReason.values()) {
            rejected.get(reason).inc(rejectedByReason.getOrDefault(reason.code(), 0L));
        }
        batchDurationMillis.set(durationMillis);
        batches.inc();
    }
}
