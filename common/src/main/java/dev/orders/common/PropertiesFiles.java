package dev.orders.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.Properties;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** The small properties files the apps keep beside Spark's own (checkpoint identity, output folder owner), on any Hadoop file system. */
public final class PropertiesFiles {

    /** The file's properties; empty when there is no such file. */
    public static Optional<Properties> read(FileSystem fs, Path file) throws IOException {
        if (!fs.exists(file)) {
            return Optional.empty();
        }
        Properties properties = new Properties();
        try (InputStream in = fs.open(file)) {
            properties.load(in);
        }
        return Optional.of(properties);
    }

    /** Writes the file, its folder created if need be; {@code overwrite} false fails on an existing file. */
    public static void write(FileSystem fs, Path file, Properties properties, String comment, boolean overwrite)
            throws IOException {
        fs.mkdirs(file.getParent());
        try (OutputStream out = fs.create(file, overwrite)) {
            properties.store(out, comment);
        }
    }

    private PropertiesFiles() {
    }
}
