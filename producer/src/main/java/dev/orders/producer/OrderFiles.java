package dev.orders.producer;

import static dev.orders.common.Columns.SOURCE;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.Schemas;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/** The folder of order CSV files, as a stream of order lines. */
public final class OrderFiles {
    /** Set by the CSV reader to the whole line when a line does not split into the expected columns. */
    public static final String CORRUPT_RECORD = "_corrupt_record";
    /** Whether the line's file starts with the order header (whose line is then left out). */
    public static final String IN_FILE_WITH_ORDER_HEADER = "in_file_with_order_header";
    /**
     * The reason code of what is wrong with the line's file as a whole (a wrong header, a file that changed
     * while it was read), null for a good file: every line of such a file is rejected with it.
     */
    public static final String FILE_PROBLEM = "file_problem";
    /** What a person can do about {@link #FILE_PROBLEM}. */
    public static final String FILE_PROBLEM_ERROR = "file_problem_error";
    private static final String FILE_VERDICT = "file_verdict";

    /**
     * Every line of every new file, all columns as text (validation types them), plus the line itself
     * when it does not split into seven columns, the file it came from, whether that file starts with the
     * order header, and what is wrong with the file as a whole ({@link OrderFileChecks}). The header line of
     * a file that starts with one is left out.
     *
     * <p>The files are read without Spark's {@code header} option: it drops each file's first line unseen,
     * so a file with other columns, or no header at all, would be read as orders, and its first line lost.
     *
     * @param maxFileAge a file modified this much before the newest file taken is never read (Spark's
     *     {@code maxFileAge}); {@link UnreadOrderFiles} names such files
     */
    public static Dataset<Row> readStream(SparkSession spark, String ordersDir, int maxFilesPerTrigger,
            Duration maxFileAge) {
        OrderFileChecks checks = OrderFileChecks.of(spark);
        Dataset<Row> lines = spark.readStream()
                .schema(Schemas.ORDER_FILE.add(CORRUPT_RECORD, DataTypes.StringType))
                .option("header", false)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
                .option("maxFilesPerTrigger", maxFilesPerTrigger)
                .option("maxFileAge", maxFileAge.toMillis() + "ms")
                .csv(ordersDir);
        return checked(lines, checks);
    }

    /**
     * The lines of order files as the CSV reader gives them, with their file, its verdict and without
     * their header lines ({@link #readStream}'s columns).
     */
    static Dataset<Row> checked(Dataset<Row> lines, OrderFileChecks checks) {
        // _metadata holds each file's size and modification time as the file source listed it for the batch.
        return withoutHeaderLines(lines
                .withColumn(SOURCE, input_file_name())
                .withColumn(FILE_VERDICT, checks.verdict(col(SOURCE), col("_metadata.file_size"),
                        col("_metadata.file_modification_time")))
                .withColumn(IN_FILE_WITH_ORDER_HEADER, col(FILE_VERDICT).getField(OrderFileChecks.STARTS_WITH_ORDER_HEADER))
                .withColumn(FILE_PROBLEM, col(FILE_VERDICT).getField(OrderFileChecks.PROBLEM))
                .withColumn(FILE_PROBLEM_ERROR, col(FILE_VERDICT).getField(OrderFileChecks.PROBLEM_ERROR))
                .drop(FILE_VERDICT));
    }

    /**
     * Drops the header lines of the files that start with one; a file that does not keeps every line. The
     * line is looked at first: for an order line that settles it, and the file's verdict (a function call per
     * line) is left to the one place that needs it.
     */
    static Dataset<Row> withoutHeaderLines(Dataset<Row> lines) {
        return lines.filter(not(isHeaderLine().and(col(IN_FILE_WITH_ORDER_HEADER))));
    }

    /** Whether a line, as text, is the order header: the seven names, with or without spaces, quotes or a byte order mark. */
    static boolean isOrderHeader(String line) {
        if (line == null) {
            return false;
        }
        List<String> names = Arrays.stream(line.replace("\uFEFF", "").split(",", -1))
                .map(name -> name.trim().replace("\"", ""))
                .toList();
        return names.equals(Schemas.ORDER_FILE_COLUMNS);
    }

    /**
     * {@link #isOrderHeader} for a line the CSV reader has split into columns (and unquoted). Every line of
     * every file is tested, so its first column alone is cleaned and compared first: that tells an order
     * line apart, and only a line that passes has all seven cleaned and joined.
     */
    private static Column isHeaderLine() {
        String first = Schemas.ORDER_FILE_COLUMNS.get(0);
        Column names = concat_ws(",", Schemas.ORDER_FILE_COLUMNS.stream()
                .map(name -> headerName(col(name))).toArray(Column[]::new));
        return col(CORRUPT_RECORD).isNull()
                .and(coalesce(headerName(col(first)).equalTo(first), lit(false)))
                .and(coalesce(names.equalTo(Schemas.ORDER_FILE_HEADER), lit(false)));
    }

    /** A column's text as a header name: without byte order marks and the spaces around it. */
    private static Column headerName(Column text) {
        return trim(translate(text, "\uFEFF", ""));
    }

    private OrderFiles() {
    }
}
