package dev.orders.producer;

import dev.orders.common.cli.Durations;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * customer.csv, on any file system Hadoop reads (a local path, {@code file:}, {@code hdfs:}, {@code s3a:}):
 * its version, and when it has been left alone long enough to be read. Spark reads the content itself, in
 * parallel; whoever reads it compares {@link #version()} before and after to know the read was of one version.
 */
final class CustomerFile {
    private static final Logger log = LoggerFactory.getLogger(CustomerFile.class);
    /** What tells one content of the file from another without reading it. */
    record Version(long modificationTime, long length) {
    }

    private static final int SETTLE_ATTEMPTS = 10;
    /** A header longer than this is not the customer header. */
    private static final int MAX_HEADER_BYTES = 4096;

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
     * Waits until the file has been left alone for the settle time and returns its version then. A file
     * modified "in the future" (a clock ahead of this one) cannot be seen to have been left alone by its
     * time: it is taken once it held still, the same length and time, over one settle time. No single wait
     * is longer than that.
     *
     * @throws IOException when the file is missing, or never held still long enough
     */
    Version awaitSettled() throws IOException {
        for (int attempt = 1; attempt <= SETTLE_ATTEMPTS; attempt++) {
            Version seen = version();
            long now = System.currentTimeMillis();
            long quietFor = now - seen.modificationTime();
            if (quietFor < 0) {
                log.warn("customer file {} was modified at {}, later than this machine's clock ({}): a clock is"
                        + " wrong; the file is taken once it holds still for {}", path,
                        Instant.ofEpochMilli(seen.modificationTime()), Instant.ofEpochMilli(now),
                        Durations.describe(settleTime));
                sleep(settleTime.toMillis());
                if (version().equals(seen)) {
                    return seen;
                }
            } else if (quietFor < settleTime.toMillis()) {
                sleep(settleTime.toMillis() - quietFor);
            } else {
                return seen;
            }
        }
        throw new IOException(path + " kept changing (" + SETTLE_ATTEMPTS + " waits of up to "
                + Durations.describe(settleTime) + ")");
    }

    /** The file's first line, without its line end; empty for an empty file. */
    String firstLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try (InputStream in = new BufferedInputStream(fileSystem().open(path))) {
            for (int b = in.read(); b != -1 && b != '\n' && line.size() < MAX_HEADER_BYTES; b = in.read()) {
                line.write(b);
            }
        }
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
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
