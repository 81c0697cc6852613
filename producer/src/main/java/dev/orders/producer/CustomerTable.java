package dev.orders.producer;

import static org.apache.spark.sql.functions.lit;

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
    private static final int READ_ATTEMPTS = 10;

    private final SparkSession spark;
    private final CustomerFile file;
    private Loaded inUse;
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
            return inUse.table();
        } catch (IOException e) {
            log.warn("customer file {} cannot be checked ({}); keeping the last copy read", file.location(),
                    e.getMessage());
            return inUse.table();
        }
        if (now.equals(inUse.version()) || now.equals(lastSeen)) {
            return inUse.table();
        }
        try {
            reload();
        } catch (IOException | RuntimeException e) {
            warnOnce("customer file " + file.location() + " was not reloaded (" + e.getMessage()
                    + "); keeping the last copy read");
        }
        return inUse.table();
    }

    /** How many times the file was read and cached, the first load included. */
    public long reloads() {
        return reloads;
    }

    /** The lines of the copy in use that were skipped as malformed. */
    public long malformedLines() {
        return inUse.malformed();
    }

    /** The lines of the copy in use whose customer_id a later line repeats. */
    public long repeatedLines() {
        return inUse.repeated();
    }

    private void reload() throws IOException {
        Loaded fresh = readOneVersion();
        if (inUse != null) {
            inUse.table().unpersist();
        }
        inUse = fresh;
        reloads++;
        lastWarning = null;
        long duplicates = fresh.repeated();
        long sizeInBytes = OrderEnrichment.sizeInBytes(fresh.table());
        log.info("customers: read {} from {}{}{}; {} in memory, joined {}", fresh.customers(), file.location(),
                fresh.malformed() > 0 ? ", skipped " + fresh.malformed() + " malformed lines" : "",
                duplicates > 0 ? ", " + duplicates + " repeated customer_id lines (the last line of each wins)" : "",
                megabytes(sizeInBytes), OrderEnrichment.broadcastsCustomers(fresh.table()) ? "by broadcast"
                        : "by shuffle (above spark.sql.autoBroadcastJoinThreshold)");
        if (fresh.malformed() > 0 || duplicates > 0) {
            log.warn("customer file {}: {} malformed lines skipped, {} repeated customer_id lines",
                    file.location(), fresh.malformed(), duplicates);
        }
    }

    /** A version of the file, read and cached whole: the file was left alone before and while it was read. */
    private record Loaded(CustomerFile.Version version, Dataset<Row> table, long lines, long malformed,
            long customers) {
        long repeated() {
            return lines - malformed - customers;
        }
    }

    /**
     * Reads the file once it has settled, in parallel, and caches it; the read counts only if the file is
     * still the version it was before once the cache is complete, otherwise the file is read again.
     */
    private Loaded readOneVersion() throws IOException {
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            CustomerFile.Version before = file.awaitSettled();
            lastSeen = before;
            Loaded read;
            try {
                read = readAndCache(before);
            } catch (IOException | RuntimeException e) {
                if (file.version().equals(before)) {
                    throw e;
                }
                continue; // the file changed under the read, which may be why it failed
            }
            if (file.version().equals(before)) {
                return read;
            }
            read.table().unpersist();
        }
        throw new IOException(file.location() + " kept changing while it was read (" + READ_ATTEMPTS + " attempts)");
    }

    private Loaded readAndCache(CustomerFile.Version version) throws IOException {
        if (!Customers.isHeader(file.firstLine())) {
            throw new IOException("the customer file does not start with the header " + Customers.HEADER);
        }
        Dataset<Row> parsed = Customers.read(spark, file.location())
                // Spark finds cached data by plan, and every version of the file is read by the same plan:
                // with the version in it, one version's cache is never taken for, or dropped with, another's.
                .withColumn("_version", lit(version.toString()));
        // A pass of its own. Observing the counts while the table is cached was tried: for a file with a
        // header and no customer the Observation never received its metrics, and waited for ever.
        Customers.LineCounts counts = Customers.countLines(parsed);
        Dataset<Row> table = Customers.clean(parsed).persist(StorageLevel.MEMORY_AND_DISK());
        long customers;
        try {
            customers = table.count();
        } catch (RuntimeException e) {
            table.unpersist();
            throw e;
        }
        long lines = counts.lines();
        long malformed = counts.malformed();
        if (customers == 0) {
            table.unpersist();
            throw new IOException("no customer in " + lines + " lines");
        }
        return new Loaded(version, table, lines, malformed, customers);
    }

    private static String megabytes(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }

    private void warnOnce(String message) {
        if (!message.equals(lastWarning)) {
            log.warn(message);
        }
        lastWarning = message;
    }
}
