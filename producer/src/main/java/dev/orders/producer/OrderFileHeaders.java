package dev.orders.producer;

import static org.apache.spark.sql.functions.udf;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Whether an order file starts with the order header, read where the file's lines are read, in the same
 * Spark job: a check on the driver would first need the batch's file list, a Spark job of its own on
 * every batch. Each file's first line is read once per JVM; the file source never reads a file twice.
 */
final class OrderFileHeaders implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int FILES_REMEMBERED = 10_000;
    private static final Map<String, Boolean> STARTS_WITH_HEADER = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > FILES_REMEMBERED;
                }
            });

    private final Broadcast<SerializableConfiguration> hadoopConf;

    private OrderFileHeaders(Broadcast<SerializableConfiguration> hadoopConf) {
        this.hadoopConf = hadoopConf;
    }

    /** With the session's Hadoop configuration (file systems, credentials) sent to the executors. */
    static OrderFileHeaders of(SparkSession spark) {
        SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        return new OrderFileHeaders(spark.sparkContext().broadcast(conf,
                scala.reflect.ClassTag$.MODULE$.apply(SerializableConfiguration.class)));
    }

    /** A boolean column: whether the file at {@code path} starts with the order header. */
    Column startsWithOrderHeader(Column path) {
        Broadcast<SerializableConfiguration> conf = hadoopConf;
        UserDefinedFunction check = udf((UDF1<String, Boolean>) file ->
                STARTS_WITH_HEADER.computeIfAbsent(file, f -> OrderFiles.isOrderHeader(firstLine(conf.value().value(), f))),
                DataTypes.BooleanType);
        return check.apply(path);
    }

    /** The file's first line, decompressed if its name says it is compressed; null for an empty file. */
    static String firstLine(Configuration conf, String file) {
        Path path = new Path(URI.create(file));
        try {
            FileSystem fs = path.getFileSystem(conf);
            CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
            try (InputStream raw = fs.open(path);
                    InputStream in = codec == null ? raw : codec.createInputStream(raw);
                    BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                return reader.readLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the first line of " + file, e);
        }
    }
}
