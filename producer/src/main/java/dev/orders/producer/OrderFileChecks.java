package dev.orders.producer;

import static org.apache.spark.sql.functions.udf;

import dev.orders.common.RejectionReason;
import dev.orders.common.Schemas;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.SerializableConfiguration;

/**
 * What is wrong, if anything, with an order file as a whole: it does not start with the order header, it
 * changed between the file source's listing and its read, or its last line has no line end (a writer still
 * at work). Checked where the file's lines are read, in the batch's own Spark job: a check on the driver
 * would first need the batch's file list, a Spark job of its own on every batch. Each version of a file
 * (path, size, modification time) is checked once per JVM.
 */
final class OrderFileChecks implements Serializable {
    private static final long serialVersionUID = 1L;

    static final String STARTS_WITH_ORDER_HEADER = "starts_with_order_header";
    static final String PROBLEM = "problem";
    static final String PROBLEM_ERROR = "problem_error";
    static final StructType VERDICT_TYPE = new StructType()
            .add(STARTS_WITH_ORDER_HEADER, DataTypes.BooleanType, false)
            .add(PROBLEM, DataTypes.StringType)
            .add(PROBLEM_ERROR, DataTypes.StringType);

    static final String BAD_HEADER_ERROR = "the file does not start with the header " + Schemas.ORDER_FILE_HEADER;
    static final String CUT_SHORT_ERROR =
            "the file's last line has no line end: still being written? land order files by write-then-rename";

    /**
     * One file's verdict. {@code problem} is null for a good file; a file that changed keeps its header
     * status, so that its header line is still left out.
     */
    record Verdict(boolean startsWithOrderHeader, RejectionReason problem, String error) implements Serializable {
        static Verdict good() {
            return new Verdict(true, null, null);
        }

        Row toRow() {
            return RowFactory.create(startsWithOrderHeader, problem == null ? null : problem.code(), error);
        }
    }

    /** A version of a file as the file source planned to read it. */
    private record PlannedFile(String path, long size, long modificationTime) {
    }

    private static final int FILES_REMEMBERED = 10_000;
    private static final Map<PlannedFile, Verdict> VERDICTS = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<PlannedFile, Verdict> eldest) {
                    return size() > FILES_REMEMBERED;
                }
            });

    private final Broadcast<SerializableConfiguration> hadoopConf;

    private OrderFileChecks(Broadcast<SerializableConfiguration> hadoopConf) {
        this.hadoopConf = hadoopConf;
    }

    /** With the session's Hadoop configuration (file systems, credentials) sent to the executors. */
    static OrderFileChecks of(SparkSession spark) {
        SerializableConfiguration conf = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
        return new OrderFileChecks(spark.sparkContext().broadcast(conf,
                scala.reflect.ClassTag$.MODULE$.apply(SerializableConfiguration.class)));
    }

    /**
     * A struct column of {@link #VERDICT_TYPE}: the verdict on the file at {@code path}, which the file
     * source planned with this size and modification time (a timestamp).
     */
    Column verdict(Column path, Column plannedSize, Column plannedModificationTime) {
        Broadcast<SerializableConfiguration> conf = hadoopConf;
        UserDefinedFunction check = udf((UDF3<String, Long, Timestamp, Row>) (file, size, modified) -> {
            PlannedFile planned = new PlannedFile(file, size, modified.getTime());
            return VERDICTS.computeIfAbsent(planned, p -> {
                try {
                    return check(conf.value().value(), p.path(), p.size(), p.modificationTime());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot check order file " + p.path(), e);
                }
            }).toRow();
        }, VERDICT_TYPE);
        return check.apply(path, plannedSize, plannedModificationTime);
    }

    /**
     * The verdict on the file at {@code file} (a URI), planned at this size and modification time. A changed
     * file is the first problem: what was read of it is not what was planned, whatever its header.
     */
    static Verdict check(Configuration conf, String file, long plannedSize, long plannedModificationTime)
            throws IOException {
        Path path = new Path(URI.create(file));
        FileSystem fs = path.getFileSystem(conf);
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        FileStatus now;
        String firstLine;
        boolean endsWithLineEnd;
        try {
            now = fs.getFileStatus(path);
            try (FSDataInputStream in = fs.open(path)) {
                // A compressed file's last byte says nothing about its last line; its size and time still do.
                endsWithLineEnd = codec != null || plannedSize == 0 || plannedSize > now.getLen()
                        || isLineEnd(lastByte(in, plannedSize));
                firstLine = firstLine(codec == null ? in : codec.createInputStream(in));
            }
        } catch (FileNotFoundException e) {
            return new Verdict(false, RejectionReason.FILE_CHANGED_WHILE_READ, "the file was "
                    + describe(plannedSize, plannedModificationTime)
                    + ", when planned and was removed while it was read: land order files by write-then-rename");
        }
        boolean startsWithOrderHeader = OrderFiles.isOrderHeader(firstLine);
        if (now.getLen() != plannedSize || now.getModificationTime() != plannedModificationTime) {
            return new Verdict(startsWithOrderHeader, RejectionReason.FILE_CHANGED_WHILE_READ, "the file was "
                    + describe(plannedSize, plannedModificationTime) + ", when planned and is "
                    + describe(now.getLen(), now.getModificationTime())
                    + ", when read: land order files by write-then-rename");
        }
        if (!endsWithLineEnd) {
            return new Verdict(startsWithOrderHeader, RejectionReason.FILE_CHANGED_WHILE_READ, CUT_SHORT_ERROR);
        }
        if (!startsWithOrderHeader) {
            return new Verdict(false, RejectionReason.BAD_HEADER, BAD_HEADER_ERROR);
        }
        return Verdict.good();
    }

    /** The file's first line, decompressed if its name says it is compressed; null for an empty file. */
    static String firstLine(Configuration conf, String file) throws IOException {
        Path path = new Path(URI.create(file));
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
        try (InputStream raw = path.getFileSystem(conf).open(path)) {
            return firstLine(codec == null ? raw : codec.createInputStream(raw));
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
    }

    /** The byte at {@code size - 1}, read without moving the stream from where it is. */
    private static int lastByte(FSDataInputStream in, long size) throws IOException {
        byte[] last = new byte[1];
        in.readFully(size - 1, last);
        return last[0];
    }

    private static boolean isLineEnd(int b) {
        return b == '\n' || b == '\r';
    }

    private static String describe(long size, long modificationTime) {
        return size + " bytes, modified " + Instant.ofEpochMilli(modificationTime);
    }
}
