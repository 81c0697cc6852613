package dev.orders.common;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Folders and files the apps are given (checkpoints, orders, customers, output), as Hadoop paths that mean
 * the same place on the driver and on every executor.
 *
 * <p>On a cluster each executor has a working folder of its own: a relative path handed to an executor
 * lands there, and Spark's file sink does exactly that with a relative output folder (part files scattered
 * over the workers, the sink log alone on the driver). So every location is made absolute on the driver,
 * before a query starts. A path with a scheme ({@code hdfs://nn:8020/...}, {@code s3a://bucket/...},
 * {@code file:/...}) is kept as written; a path without one is resolved against the default file system
 * ({@code fs.defaultFS}) and its working folder, as Hadoop's own tools resolve it.
 */
public final class Locations {

    /** {@code location} as an absolute Hadoop path with its scheme. */
    public static String qualify(String location, Configuration hadoopConf) {
        Path path = new Path(location);
        if (path.toUri().getScheme() != null) {
            return path.toString();
        }
        try {
            return FileSystem.get(hadoopConf).makeQualified(path).toString();
        } catch (IOException e) {
            throw new StartupException("cannot resolve " + location + " on the default file system ("
                    + FileSystem.getDefaultUri(hadoopConf) + "): " + e.getMessage(), e);
        }
    }

    /** {@code child} inside {@code parent}, scheme and authority kept ({@code java.nio} would drop the bucket of s3a://bucket/...). */
    public static String join(String parent, String child) {
        return new Path(new Path(parent), child).toString();
    }

    private Locations() {
    }
}
