package dev.orders.consumer;

import dev.orders.common.KafkaConnectivity;
import dev.orders.common.options.CommonOptions;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits the offsets each finished batch of a query read up to to a Kafka consumer group, so that Kafka's
 * own tools ({@code kafka-consumer-groups.sh --describe}, Burrow, lag exporters) see the consumer's lag.
 * Only a mirror: the query resumes from its checkpoint, never from the group.
 *
 * <p>Commits run on a thread of their own, the newest batch's offsets replacing any still waiting, so a slow
 * or absent broker never holds up Spark's listener bus; a failed commit is one warning, never a failed batch.
 * The group has no members (nothing reads with it), which is what lets an admin client set its offsets.
 */
final class ConsumerGroupMirror extends StreamingQueryListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConsumerGroupMirror.class);
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /** How long {@link #close} waits for the query's last progress to come through the listener bus. */
    private static final Duration LAST_PROGRESS_TIMEOUT = Duration.ofSeconds(10);

    private final SparkSession spark;
    private final String queryName;
    private final String group;
    private final Properties adminConfig;
    /** Made on the committer thread at the first commit: nothing here may fail the app's start. */
    private volatile Admin admin;
    private final ThreadPoolExecutor committer = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1), runnable -> {
                Thread thread = new Thread(runnable, "consumer-group-commit");
                thread.setDaemon(true);
                return thread;
            }, new ThreadPoolExecutor.DiscardOldestPolicy());
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile UUID runId;
    /** Touched by the committer thread only. */
    private Map<TopicPartition, Long> lastCommitted = Map.of();

    private ConsumerGroupMirror(SparkSession spark, String queryName, String group, Properties adminConfig) {
        this.spark = spark;
        this.queryName = queryName;
        this.group = group;
        this.adminConfig = adminConfig;
    }

    /**
     * Mirrors the next query of this name that starts in the session (so its first batch is not missed);
     * the Kafka client is built from the app's Kafka options, SASL and SSL included.
     */
    static ConsumerGroupMirror start(SparkSession spark, String queryName, String group, CommonOptions options) {
        ConsumerGroupMirror mirror = new ConsumerGroupMirror(spark, queryName, group,
                KafkaConnectivity.adminConfig(options));
        spark.streams().addListener(mirror);
        return mirror;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        if (runId == null && queryName.equals(event.name())) {
            runId = event.runId();
        }
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        if (!event.progress().runId().equals(runId)) {
            return;
        }
        SourceProgress[] sources = event.progress().sources();
        if (sources.length == 0) {
            return;
        }
        long batchId = event.progress().batchId();
        try {
            Map<TopicPartition, Long> offsets = KafkaSourceOffsets.parse(sources[0].endOffset());
            if (!offsets.isEmpty()) {
                committer.execute(() -> commit(batchId, offsets));
            }
        } catch (RuntimeException e) { // never out of a listener: Spark would log it as an error at every batch
            warnNotCommitted(batchId, e);
        }
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        if (event.runId().equals(runId)) {
            terminated.countDown();
        }
    }

    private void commit(long batchId, Map<TopicPartition, Long> offsets) {
        if (offsets.equals(lastCommitted)) {
            return; // a batch without new messages
        }
        try {
            if (admin == null) {
                admin = Admin.create(adminConfig);
            }
            admin.alterConsumerGroupOffsets(group,
                    offsets.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
                            e -> new OffsetAndMetadata(e.getValue()))),
                    new AlterConsumerGroupOffsetsOptions().timeoutMs((int) COMMIT_TIMEOUT.toMillis()))
                    .all().get(COMMIT_TIMEOUT.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            lastCommitted = offsets;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            warnNotCommitted(batchId, e.getCause());
        } catch (Exception e) {
            warnNotCommitted(batchId, e);
        }
    }

    /** One line, no stack trace: the batch itself is done and safe in the checkpoint. */
    private void warnNotCommitted(long batchId, Throwable cause) {
        log.warn("consumer group {}: offsets of batch {} not committed, lag tools see the group behind until a"
                + " later batch commits ({}: {})", group, batchId, cause.getClass().getSimpleName(), cause.getMessage());
    }

    /**
     * Waits, within bounds, for the query's last progress to be mirrored and its commit to end, then lets go
     * of the Kafka client. Called once the query has stopped.
     */
    @Override
    public void close() {
        try {
            if (runId != null) {
                terminated.await(LAST_PROGRESS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            committer.shutdown();
            committer.awaitTermination(COMMIT_TIMEOUT.toMillis() + 2_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            committer.shutdownNow();
            spark.streams().removeListener(this);
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
            }
        }
    }
}
