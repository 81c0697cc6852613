package dev.orders.producer;

import dev.orders.common.cli.Durations;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names every order file the file source will never read. Spark's file source skips two kinds of file
 * without a word: one modified more than {@code maxFileAge} before the newest file it took, and one whose
 * path it took before (a file landed again under a used name). {@link #audit()} lists the orders folder as
 * the source does, compares it with what the source took ({@link ProcessedOrderFiles}) and reports each
 * such file once per version (path and modification time).
 */
final class UnreadOrderFiles {
    private static final Logger log = LoggerFactory.getLogger(UnreadOrderFiles.class);

    private final SparkSession spark;
    private final Path ordersDir;
    private final Duration maxFileAge;
    private final ProcessedOrderFiles processed;
    private final Consumer<IgnoredOrderFile> reports;
    private final Set<String> reported = new HashSet<>();
    private String lastFailure;

    UnreadOrderFiles(SparkSession spark, String ordersDir, String checkpointDir, Duration maxFileAge,
            Consumer<IgnoredOrderFile> reports) {
        this.spark = spark;
        this.ordersDir = new Path(ordersDir);
        this.maxFileAge = maxFileAge;
        this.processed = new ProcessedOrderFiles(spark, checkpointDir);
        this.reports = reports;
    }

    /**
     * Reports the files ignored now and not reported before. A folder or log that cannot be read is a
     * warning, not a reason to stop the stream.
     */
    synchronized void audit() {
        try {
            for (IgnoredOrderFile file : ignoredNow()) {
                if (reported.add(file.path() + "@" + file.modified().toEpochMilli())) {
                    reports.accept(file);
                }
            }
            lastFailure = null;
        } catch (IOException | RuntimeException e) {
            String failure = "cannot tell which order files in " + ordersDir + " are ignored: " + e;
            if (!failure.equals(lastFailure)) {
                log.warn(failure);
            }
            lastFailure = failure;
        }
    }

    /** Every file in the folder that the file source will not read, as of its log now. */
    List<IgnoredOrderFile> ignoredNow() throws IOException {
        processed.refresh();
        List<IgnoredOrderFile> ignored = new ArrayList<>();
        if (processed.newestModificationTime().isEmpty()) {
            return ignored; // nothing taken yet: every file is still to come
        }
        long newest = processed.newestModificationTime().getAsLong();
        FileSystem fs = ordersDir.getFileSystem(spark.sparkContext().hadoopConfiguration());
        for (FileStatus file : listFiles(fs, fs.makeQualified(ordersDir))) {
            Optional<ProcessedOrderFiles.Taken> taken = processed.taken(file.getPath().toUri().toString());
            ignored(file.getPath().toString(), file.getModificationTime(), taken, newest, maxFileAge)
                    .ifPresent(ignored::add);
        }
        return ignored;
    }

    /**
     * Whether the file source, which keeps the paths it took until they are older than the newest by
     * {@code maxFileAge}, will skip this file. Empty for a file taken (the same path and time) or still to come.
     */
    static Optional<IgnoredOrderFile> ignored(String path, long modified, Optional<ProcessedOrderFiles.Taken> taken,
            long newest, Duration maxFileAge) {
        long oldestRead = newest - maxFileAge.toMillis();
        if (taken.isPresent() && taken.get().modificationTime() == modified) {
            return Optional.empty();
        }
        if (taken.isPresent() && taken.get().modificationTime() >= oldestRead) {
            return Optional.of(new IgnoredOrderFile(path, Instant.ofEpochMilli(modified),
                    IgnoredOrderFile.Reason.NAME_ALREADY_PROCESSED, "order file " + path
                            + " is ignored: a file of that name was processed in batch " + taken.get().batchId()
                            + " (modified " + Instant.ofEpochMilli(taken.get().modificationTime())
                            + "); the file source reads a name once: land it under a new name"));
        }
        if (modified < oldestRead) {
            return Optional.of(new IgnoredOrderFile(path, Instant.ofEpochMilli(modified), IgnoredOrderFile.Reason.TOO_OLD,
                    "order file " + path + " is ignored: its modification time " + Instant.ofEpochMilli(modified)
                            + " is more than " + Durations.describe(maxFileAge)
                            + " older than the newest file processed (" + Instant.ofEpochMilli(newest)
                            + "): raise --max-file-age or give it a new modification time"));
        }
        return Optional.empty();
    }

    /**
     * Runs {@link #audit()} whenever the query with this id reports progress without having run a batch
     * (an idle stream: no batch end to audit after), and takes itself off the session when the query ends.
     */
    StreamingQueryListener whenIdle(UUID queryId) {
        return new StreamingQueryListener() {
            @Override
            public void onQueryStarted(QueryStartedEvent event) {
            }

            @Override
            public void onQueryProgress(QueryProgressEvent event) {
                if (event.progress().id().equals(queryId) && !event.progress().durationMs().containsKey("addBatch")) {
                    audit();
                }
            }

            @Override
            public void onQueryTerminated(QueryTerminatedEvent event) {
                if (event.id().equals(queryId)) {
                    spark.streams().removeListener(this);
                }
            }
        };
    }

    /** The files the file source lists: recursively, leaving out the names Spark treats as hidden. */
    private static List<FileStatus> listFiles(FileSystem fs, Path dir) throws IOException {
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus status : fs.listStatus(dir)) {
            if (isHidden(status.getPath().getName())) {
                continue;
            }
            if (status.isDirectory()) {
                files.addAll(listFiles(fs, status.getPath()));
            } else {
                files.add(status);
            }
        }
        return files;
    }

    /** Spark's rule for the files a file source leaves out (HadoopFSUtils.shouldFilterOutPathName). */
    static boolean isHidden(String name) {
        boolean excluded = (name.startsWith("_") && !name.contains("=")) || name.startsWith(".")
                || name.endsWith("._COPYING_");
        return excluded && !name.startsWith("_common_metadata") && !name.startsWith("_metadata");
    }
}
