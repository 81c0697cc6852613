package dev.orders.common.lifecycle;

import dev.orders.common.cli.Durations;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an app's queries until they end, a stop is requested, or one fails. A failure on a retriable Kafka
 * error ({@link RetriableKafkaErrors}) stops the app's other queries between batches and starts all of them
 * again from their checkpoints, after a growing wait ({@link Outage}); the app runs whole or not at all.
 * Any other failure stops the others at once and is thrown, as without the supervisor.
 */
public final class QuerySupervisor {
    private static final Logger log = LoggerFactory.getLogger(QuerySupervisor.class);
    private static final Duration POLL = Duration.ofMillis(200);

    /** Starts the app's queries: its checks, then the queries. */
    @FunctionalInterface
    public interface QueryStarter {
        List<StreamingQuery> start() throws Exception;
    }

    /** How a run ended. */
    public enum Ending {
        /** Every query ended by itself (--available-now). */
        FINISHED,
        /** Stopped on request. */
        STOPPED,
        /** Kafka stayed unreachable longer than --max-outage. */
        OUTAGE_TOO_LONG
    }

    private final String app;
    private final QueryStarter starter;
    private final BatchGates gates;
    private final StopRequest stop;
    private final Duration stopTimeout;
    private final Duration maxOutage;
    private final Clock clock;

    public QuerySupervisor(String app, QueryStarter starter, BatchGates gates, StopRequest stop,
            Duration stopTimeout, Duration maxOutage) {
        this(app, starter, gates, stop, stopTimeout, maxOutage, Clock.systemUTC());
    }

    QuerySupervisor(String app, QueryStarter starter, BatchGates gates, StopRequest stop, Duration stopTimeout,
            Duration maxOutage, Clock clock) {
        this.app = app;
        this.starter = starter;
        this.gates = gates;
        this.stop = stop;
        this.stopTimeout = stopTimeout;
        this.maxOutage = maxOutage;
        this.clock = clock;
    }

    /**
     * Starts the queries and supervises them. A failure of the first start (Kafka unreachable included) is
     * thrown: a broker that never answered is a configuration error, not an outage.
     */
    public Ending run() throws Exception {
        try {
            return supervise(starter.start());
        } finally {
            stop.markDone();
        }
    }

    private Ending supervise(List<StreamingQuery> queries) throws Exception {
        Outage outage = new Outage(maxOutage, RestartBackoff.DEFAULT, clock);
        while (true) {
            if (stop.await(POLL)) {
                stopGracefully(queries);
                return Ending.STOPPED;
            }
            Optional<StreamingQuery> failed = queries.stream()
                    .filter(query -> !query.isActive() && query.exception().isDefined()).findFirst();
            if (failed.isEmpty()) {
                if (queries.stream().noneMatch(StreamingQuery::isActive)) {
                    log.info("{}: done; last committed: {}", app, GracefulStop.lastCommitted(queries));
                    return Ending.FINISHED;
                }
                continue;
            }
            Throwable error = failed.get().exception().get();
            if (!RetriableKafkaErrors.isRetriable(error)) {
                stopAll(queries);
                throw (Exception) error;
            }
            // The others are stopped between batches, so that all start again from their checkpoints together.
            new GracefulStop(gates, stopTimeout).stop(queries);
            boolean progressed = queries.stream().anyMatch(query -> query.recentProgress().length > 0);
            Optional<List<StreamingQuery>> restarted = restart(outage, progressed, failed.get().name(), error);
            if (restarted.isEmpty()) {
                return stop.isRequested() ? Ending.STOPPED : Ending.OUTAGE_TOO_LONG;
            }
            queries = restarted.get();
        }
    }

    /** Waits and starts the queries again, as often as the outage allows; empty when it gave up or was stopped. */
    private Optional<List<StreamingQuery>> restart(Outage outage, boolean progressed, String failedQuery,
            Throwable error) throws Exception {
        boolean progressSinceRestart = progressed;
        String what = failedQuery + " failed";
        while (true) {
            Outage.Decision decision = outage.onFailure(progressSinceRestart);
            if (decision instanceof Outage.GiveUp giveUp) {
                log.error("{}: giving up: Kafka has been unavailable for {} (--max-outage {}), {} restarts did not"
                                + " help; last error: {}", app, inSeconds(giveUp.elapsed()),
                        Durations.describe(maxOutage), giveUp.restarts(), RetriableKafkaErrors.describe(error));
                return Optional.empty();
            }
            Outage.Retry retry = (Outage.Retry) decision;
            log.warn("{}: {} on a retriable Kafka error ({}); restarting from the checkpoint in {} (restart {},"
                            + " Kafka unavailable for {} of at most {})", app, what,
                    RetriableKafkaErrors.describe(error), Durations.describe(retry.delay()), retry.attempt(),
                    inSeconds(retry.elapsed()), Durations.describe(maxOutage));
            if (stop.await(retry.delay())) {
                log.info("{}: stopped on {} while waiting to restart", app, stop.reason());
                return Optional.empty();
            }
            gates.openAll();
            try {
                return Optional.of(starter.start());
            } catch (Exception e) {
                if (!RetriableKafkaErrors.isRetriable(e)) {
                    throw e;
                }
                error = e;
                what = "the restart failed";
                progressSinceRestart = false;
            }
        }
    }

    private void stopGracefully(List<StreamingQuery> queries) throws Exception {
        log.info("{}: stopping on {}: letting the batch in progress finish and commit (at most {})", app,
                stop.reason(), Durations.describe(stopTimeout));
        GracefulStop.Result result = new GracefulStop(gates, stopTimeout).stop(queries);
        if (result.clean()) {
            log.info("{}: stopped between batches; last committed: {}", app, result.committed());
        } else {
            log.warn("{}: stopped after {}: the batch in progress of {} was cut and will be re-run on the next start"
                            + " (at-least-once; the consumer drops the repeats); last committed: {}", app,
                    Durations.describe(stopTimeout), String.join(", ", result.cut()), result.committed());
        }
    }

    private static String inSeconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    private static void stopAll(List<StreamingQuery> queries) throws Exception {
        for (StreamingQuery query : queries) {
            query.stop();
        }
    }
}
