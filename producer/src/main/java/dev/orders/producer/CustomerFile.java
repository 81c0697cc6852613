package dev.orders.producer;

import dev.orders.common.cli.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * customer.csv, on any file system Hadoop reads (a local path, {@code file:}, {@code hdfs:}, {@code s3a:}),
 * read whole into memory as one consistent snapshot.
 */
final class CustomerFile {
    private static final Logger log = LoggerFactory.getLogger(CustomerFile.class);
    /** What tells one content of the file from another without reading it. */
    record Version(long modificationTime, long length) {
    }

    record Snapshot(Version version, List<String> lines) {
    }

    private static final int READ_ATTEMPTS = 10;

    private final Path path;
    private final Configuration hadoopConf;
    private final Duration settleTime;

    CustomerFile(String location, Configuration hadoopConf, Duration settleTime) {
        this.path = new Path(location);
        this.hadoopConf = hadoopConf;
        this.settleTime = settleTime;
    }

    String location() {
        return path.toString();
    }

    /** @throws java.io.FileNotFoundException when the file is not there */
    Version version() throws IOException {
        FileStatus status = fileSystem().getFileStatus(path);
        return new Version(status.getModificationTime(), status.getLen());
    }

    /**
     * Reads the file whole, and only once it has been left alone for the settle time and did not change
     * while it was read: a file rewritten in place is never taken half-written. A file modified "in the
     * future" (a clock ahead of this one) cannot be seen to have been left alone by its time: it is taken
     * once it held still, the same length and time, over one settle time. No wait is longer than that.
     *
     * @throws IOException when the file is missing, unreadable, or never held still long enough
     */
    Snapshot readWhenSettled() throws IOException {
        for (int attempt = 1; attempt <= READ_ATTEMPTS; attempt++) {
            Version before = version();
            long now = System.currentTimeMillis();
            long quietFor = now - before.modificationTime();
            if (quietFor < 0) {
                log.warn("customer file {} was modified at {}, later than this machine's clock ({}): a clock is"
                        + " wrong; the file is taken once it holds still for {}", path,
                        Instant.ofEpochMilli(before.modificationTime()), Instant.ofEpochMilli(now),
                        Durations.describe(settleTime));
                sleep(settleTime.toMillis());
                if (!version().equals(before)) {
                    continue;
                }
            } else if (quietFor < settleTime.toMillis()) {
                sleep(settleTime.toMillis() - quietFor);
                continue;
            }
            byte[] content;
            try (InputStream in = fileSystem().open(path)) {
                content = in.readAllBytes();
            }
            Version after = version();
            if (before.equals(after) && content.length == after.length()) {
                return new Snapshot(after, new String(content, StandardCharsets.UTF_8).lines().toList());
            }
        }
        throw new IOException(path + " kept changing while it was read (" + READ_ATTEMPTS + " attempts)");
    }

    private FileSystem fileSystem() throws IOException {
        return path.getFileSystem(hadoopConf);
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the customer file to settle", e);
        }
    }
}
