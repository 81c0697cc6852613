package dev.orders.producer;

import static dev.orders.common.Columns.AGE;
import static dev.orders.common.Columns.CITY;
import static dev.orders.common.Columns.CUSTOMER_ID;
import static dev.orders.common.Columns.NAME;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.Schemas;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/** Reading, parsing and cleaning customer.csv. */
public final class Customers {
    static final String CORRUPT_RECORD = "_corrupt_record";
    /** Where the part of the file a line was read in starts, in bytes: the parts are read in parallel. */
    static final String BLOCK_START = "_block_start";
    /** Rises line by line within a part of the file. */
    static final String ROW_IN_BLOCK = "_row_in_block";
    static final String HEADER = String.join(",", Schemas.names(Schemas.CUSTOMER));

    /**
     * The lines of a customer file, parsed with the explicit schema by Spark (split into parts read in
     * parallel for a large file), with where each line lies in the file. The first line, the header, is
     * left out unread: check it first with {@link #isHeader}.
     *
     * <p>File order is ({@link #BLOCK_START}, {@link #ROW_IN_BLOCK}): a part is read from start to end by
     * one task, so {@code monotonically_increasing_id} rises within it; across parts it only rises in file
     * order as long as Spark hands out the parts of one file in offset order, which its planner happens to
     * do but does not promise, so the part's start offset comes first.
     */
    public static Dataset<Row> read(SparkSession spark, String location) {
        return spark.read()
                .schema(Schemas.CUSTOMER.add(CORRUPT_RECORD, DataTypes.StringType))
                .option("header", true)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
                .csv(location)
                .withColumn(BLOCK_START, col("_metadata.file_block_start"))
                .withColumn(ROW_IN_BLOCK, monotonically_increasing_id());
    }

    /** Whether a line is the customer header: the four names, with or without spaces or a byte order mark. */
    public static boolean isHeader(String line) {
        return line != null && Arrays.stream(line.replace("\uFEFF", "").split(",", -1)).map(String::trim).toList()
                .equals(Schemas.names(Schemas.CUSTOMER));
    }

    /**
     * Rows that parsed, with a customer_id. Only where every column is read: Spark's CSV reader parses only
     * the columns a query needs, so a bad age is not seen by a query that reads only the ids.
     */
    public static Column isWellFormed() {
        return col(CORRUPT_RECORD).isNull()
                .and(col(CUSTOMER_ID).isNotNull())
                .and(trim(col(CUSTOMER_ID)).notEqual(""));
    }

    /** The lines of a customer file but its header, and how many of them are malformed. */
    public record LineCounts(long lines, long malformed) {
    }

    public static LineCounts countLines(Dataset<Row> parsed) {
        Row counts = parsed.agg(count(lit(1)), count_if(not(isWellFormed())),
                // Every column in the query, so that every column is parsed: a bad age is a malformed line.
                count(col(NAME)), count(col(AGE)), count(col(CITY))).first();
        return new LineCounts(counts.getLong(0), counts.getLong(1));
    }

    /**
     * One row per customer_id, in the customer schema. A customer_id that appears twice keeps its
     * last line: a line appended later corrects an earlier one, and an order is never joined twice.
     * The rows come out hash-partitioned and sorted by customer_id (the window's shuffle), which a
     * sort-merge join with them can use as it is.
     */
    public static Dataset<Row> clean(Dataset<Row> parsed) {
        Column[] customerColumns = Arrays.stream(Schemas.CUSTOMER.fieldNames()).map(name -> col(name))
                .toArray(Column[]::new);
        return parsed
                .filter(isWellFormed())
                .withColumn(CUSTOMER_ID, trim(col(CUSTOMER_ID)))
                .withColumn("_latest", row_number().over(Window.partitionBy(CUSTOMER_ID)
                        .orderBy(col(BLOCK_START).desc(), col(ROW_IN_BLOCK).desc())))
                .filter(col("_latest").equalTo(1))
                .select(customerColumns);
    }

    private Customers() {
    }
}
