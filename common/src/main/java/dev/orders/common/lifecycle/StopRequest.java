package dev.orders.common.lifecycle;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * A request to stop the app gracefully, made by SIGTERM or Ctrl-C (SIGINT), and whether the stop is done.
 *
 * <p>The signals are caught instead of letting the JVM shut down: once a JVM's shutdown has begun on a
 * signal, its exit code is 128 + the signal's number whatever a hook does, and Spark's own shutdown hook
 * stops the SparkContext under a running batch. A second signal is handed to the JVM's own handler, so an
 * impatient second Ctrl-C still ends the app at once. Any other shutdown (SIGHUP, {@code System.exit}
 * elsewhere) is met by a Hadoop shutdown hook that runs before Spark's and waits, bounded, for the same
 * graceful stop.
 */
public final class StopRequest {
    private static final Logger log = LoggerFactory.getLogger(StopRequest.class);
    /**
     * Spark runs its shutdown hooks, the SparkContext's stop among them, from one Hadoop shutdown hook of
     * priority {@code FileSystem.SHUTDOWN_HOOK_PRIORITY + 30} = 40 (Spark's {@code ShutdownHookManager});
     * Hadoop runs hooks of a higher priority first.
     */
    static final int BEFORE_SPARK_PRIORITY = 50;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile String reason = "";

    /** A request that only {@link #request} makes: for tests and embedded runs. */
    public StopRequest() {
    }

    /**
     * A request made by the first SIGTERM or SIGINT, or by the JVM's shutdown; the shutdown waits for the
     * stop at most {@code stopTimeout} and 10 s more.
     */
    public static StopRequest onSignals(Duration stopTimeout) {
        StopRequest stop = new StopRequest();
        for (String name : new String[] {"TERM", "INT"}) {
            SignalHandler[] jvmHandler = new SignalHandler[1];
            try {
                jvmHandler[0] = Signal.handle(new Signal(name), received -> {
                    if (stop.isRequested()) {
                        jvmHandler[0].handle(received);
                    } else {
                        stop.request("SIG" + received.getName());
                    }
                });
            } catch (IllegalArgumentException e) { // the JVM runs with -Xrs, or the signal is taken
                log.warn("SIG{} is not caught ({}): it stops the app as the JVM's shutdown does", name, e.getMessage());
            }
        }
        Duration hookTimeout = stopTimeout.plusSeconds(10);
        org.apache.hadoop.util.ShutdownHookManager.get().addShutdownHook(() -> {
            stop.request("JVM shutdown");
            try {
                if (!stop.done.await(hookTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("the queries did not stop within {} s of the JVM's shutdown", hookTimeout.toSeconds());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, BEFORE_SPARK_PRIORITY, hookTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return stop;
    }

    public void request(String why) {
        if (requested.getCount() > 0) {
            reason = why;
            requested.countDown();
        }
    }

    public boolean isRequested() {
        return requested.getCount() == 0;
    }

    /** What asked for the stop: {@code SIGTERM}, {@code SIGINT}, {@code JVM shutdown}. */
    public String reason() {
        return reason;
    }

    /** Waits at most {@code timeout} for a request; true when there is one. */
    public boolean await(Duration timeout) throws InterruptedException {
        return requested.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The app's queries are stopped (or were never started): a waiting shutdown may go on. */
    public void markDone() {
        done.countDown();
    }
}
