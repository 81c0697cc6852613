package dev.orders.common.lifecycle;

import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The way into the writing part of a {@code foreachBatch} query's batch, closed by a graceful stop. A batch
 * that comes to a closed gate waits there, having written nothing, until the stop interrupts it; it stays
 * planned in the offset log, uncommitted, and runs whole on the next start. So a stop can never land between
 * a batch's first write and its commit: it waits until nothing is writing and the query's trigger is over
 * (the commit is part of the trigger), or the batch in progress is parked at the gate.
 */
public final class BatchGate {
    /** A batch's writing part. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private boolean closed;
    private boolean writing;
    private boolean parked;

    /** Runs {@code body} unless the gate is closed; then waits, never writing, until interrupted by the stop. */
    public void pass(Body body) throws Exception {
        synchronized (this) {
            if (closed) {
                parked = true;
                while (true) {
                    wait();
                }
            }
            writing = true;
        }
        try {
            body.run();
        } finally {
            synchronized (this) {
                writing = false;
            }
        }
    }

    synchronized void close() {
        closed = true;
    }

    /** For queries started again after a failure. */
    synchronized void open() {
        closed = false;
        parked = false;
    }

    /** Whether {@code query} may be stopped now without cutting a write or a commit. Call after {@link #close}. */
    synchronized boolean isQuiet(StreamingQuery query) {
        return !writing && (parked || !query.status().isTriggerActive());
    }
}
