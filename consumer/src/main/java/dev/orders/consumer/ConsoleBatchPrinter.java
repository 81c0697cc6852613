package dev.orders.consumer;

import static dev.orders.common.Columns.*;

import java.io.PrintStream;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/** The console sink: each non-empty batch as a table, every row, nothing truncated. */
final class ConsoleBatchPrinter implements VoidFunction2<Dataset<Row>, Long> {
    private static final long serialVersionUID = 1L;
    private final transient PrintStream out;

    ConsoleBatchPrinter(PrintStream out) {
        this.out = out;
    }

    @Override
    public void call(Dataset<Row> batch, Long batchId) {
        // Persisted first: counting, sorting and showing must not run the deduplication (and its state
        // store commit) more than once.
        Dataset<Row> rows = batch.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            long count = rows.count();
            if (count == 0) {
                return; // as the original: empty batches print nothing
            }
            out.println("-------------------------------------------");
            out.println("Batch: " + batchId + " (" + count + " rows)");
            out.println("-------------------------------------------");
            out.print(rows.orderBy(ORDER_DATE, ORDER_ID, ORDER_LINE_ID)
                    .showString((int) Math.min(count, Integer.MAX_VALUE), 0, false));
            out.flush();
        } finally {
            rows.unpersist();
        }
    }
}
