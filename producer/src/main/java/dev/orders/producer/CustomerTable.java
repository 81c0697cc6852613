package dev.orders.producer;

import static dev.orders.common.Columns.CUSTOMER_ID;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.StartupException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.time.Duration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customers as last read from customer.csv, cached. {@link #current()} is called before every
 * micro-batch: it checks the file's modification time, and only when that changed does it unpersist the
 * cached copy and read the file again. A file that is missing, empty or unreadable at that moment keeps
 * the last good copy, with a warning.
 */
public final class CustomerTable {
    private static final Logger log = LoggerFactory.getLogger(CustomerTable.class);
    /** A rewritten file is taken only once it has not changed for this long. */
    static final Duration SETTLE_TIME = Duration.ofSeconds(2);

    private final SparkSession spark;
    private final CustomerFile file;
    private Dataset<Row> cached;
    private CustomerFile.Version loaded;
    /** The last version read, good or not: a bad file is not read again until it changes. */
    private CustomerFile.Version lastSeen;
    private String lastWarning;
    private long reloads;

    private CustomerTable(SparkSession spark, CustomerFile file) {
        this.spark = spark;
        this.file = file;
    }

    /** Reads the file now: a file that is missing or holds no customer stops the app before it starts. */
    public static CustomerTable load(SparkSession spark, String location) {
        CustomerTable table = new CustomerTable(spark,
                new CustomerFile(location, spark.sparkContext().hadoopConfiguration(), SETTLE_TIME));
        try {
            table.reload();
        } catch (FileNotFoundException e) {
            throw new StartupException("customer file not found: " + location);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot read customer file " + location + ": " + e.getMessage(), e);
        }
        return table;
    }

    /** The customers to join the next batch with, re-read first when the file changed. */
    public Dataset<Row> current() {
        CustomerFile.Version now;
        try {
            now = file.version();
        } catch (FileNotFoundException e) {
            warnOnce("customer file " + file.location() + " is gone; keeping the last copy read");
            return cached;
        } catch (IOException e) {
            log.warn("customer file {} cannot be checked ({}); keeping the last copy read", file.location(),
                    e.getMessage());
            return cached;
        }
        if (now.equals(loaded) || now.equals(lastSeen)) {
            return cached;
        }
        try {
            reload();
        } catch (IOException | RuntimeException e) {
            warnOnce("customer file " + file.location() + " was not reloaded (" + e.getMessage()
                    + "); keeping the last copy read");
        }
        return cached;
    }

    /** How many times the file was read and cached, the first load included. */
    public long reloads() {
        return reloads;
    }

    private void reload() throws IOException {
        CustomerFile.Snapshot snapshot = file.readWhenSettled();
        lastSeen = snapshot.version();
        Dataset<Row> parsed = Customers.parse(spark, snapshot.lines());
        Row counts = parsed.agg(
                count(lit(1)),
                sum(when(Customers.isWellFormed(), 0).otherwise(1)),
                countDistinct(when(Customers.isWellFormed(), trim(col(CUSTOMER_ID))))).first();
        long lines = counts.getLong(0);
        long malformed = lines == 0 ? 0 : counts.getLong(1);
        long customers = counts.getLong(2);
        if (customers == 0) {
            throw new IOException("no customer in " + lines + " lines");
        }
        Dataset<Row> fresh = Customers.clean(parsed).persist(StorageLevel.MEMORY_AND_DISK());
        fresh.count();
        if (cached != null) {
            cached.unpersist();
        }
        cached = fresh;
        loaded = snapshot.version();
        reloads++;
        lastWarning = null;
        long duplicates = lines - malformed - customers;
        log.info("customers: read {} from {}{}{}", customers, file.location(),
                malformed > 0 ? ", skipped " + malformed + " malformed lines" : "",
                duplicates > 0 ? ", " + duplicates + " repeated customer_id lines (the last line of each wins)" : "");
        if (malformed > 0 || duplicates > 0) {
            log.warn("customer file {}: {} malformed lines skipped, {} repeated customer_id lines",
                    file.location(), malformed, duplicates);
        }
    }

    private void warnOnce(String message) {
        if (!message.equals(lastWarning)) {
            log.warn(message);
        }
        lastWarning = message;
    }
}
