package dev.orders.common.lifecycle;

import dev.orders.common.StartupException;
import dev.orders.common.options.CommonOptions;
import org.apache.spark.sql.SparkSession;

/**
 * An app's run from its first start to its exit: supervised queries ({@link QuerySupervisor}), a graceful
 * stop on SIGTERM or Ctrl-C, the Spark session stopped at the end. Returns normally for exit code 0.
 */
public final class StreamingApp {
    public static final int FAILED = 1;

    /**
     * @param program the name in one-line errors on stderr ({@code orders-producer})
     * @param gates the gates the started queries' batches pass through
     */
    public static void run(String program, SparkSession spark, CommonOptions options, BatchGates gates,
            QuerySupervisor.QueryStarter starter) throws Exception {
        run(program, spark, options, gates, starter, () -> { });
    }

    /**
     * @param afterQueries runs once the queries have ended, before the Spark session stops (the consumer's
     *     last group commit)
     */
    public static void run(String program, SparkSession spark, CommonOptions options, BatchGates gates,
            QuerySupervisor.QueryStarter starter, Runnable afterQueries) throws Exception {
        StopRequest stop = StopRequest.onSignals(options.stopTimeout());
        QuerySupervisor.Ending ending;
        try {
            ending = new QuerySupervisor(program, starter, gates, stop, options.stopTimeout(), options.maxOutage())
                    .run();
        } catch (StartupException e) {
            System.err.println(program + ": " + e.getMessage());
            afterQueries.run();
            spark.stop();
            System.exit(FAILED);
            return;
        } catch (Exception e) {
            afterQueries.run();
            spark.stop();
            throw e;
        }
        afterQueries.run();
        spark.stop();
        if (ending == QuerySupervisor.Ending.OUTAGE_TOO_LONG) {
            System.exit(FAILED); // the supervisor logged why
        }
    }

    private StreamingApp() {
    }
}
