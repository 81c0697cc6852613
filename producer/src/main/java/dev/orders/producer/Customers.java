package dev.orders.producer;

import static dev.orders.common.Columns.CUSTOMER_ID;
import static org.apache.spark.sql.functions.*;

import dev.orders.common.Schemas;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/** Parsing and cleaning the lines of customer.csv. */
public final class Customers {
    static final String CORRUPT_RECORD = "_corrupt_record";
    static final String LINE_NUMBER = "_line_number";
    static final String HEADER = String.join(",", Schemas.names(Schemas.CUSTOMER));

    /** The lines of a customer file, parsed with the explicit schema; empty when the header is wrong. */
    public static Dataset<Row> parse(SparkSession spark, List<String> lines) {
        if (lines.isEmpty() || !isHeader(lines.get(0))) {
            throw new IllegalArgumentException("the customer file does not start with the header " + HEADER);
        }
        return spark.read()
                .schema(Schemas.CUSTOMER.add(CORRUPT_RECORD, DataTypes.StringType))
                .option("header", true)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
                .csv(spark.createDataset(lines, Encoders.STRING()))
                // The lines come from one in-memory list, so these ids rise in file order.
                .withColumn(LINE_NUMBER, monotonically_increasing_id());
    }

    /** Rows that parsed, with a customer_id. */
    public static Column isWellFormed() {
        return col(CORRUPT_RECORD).isNull()
                .and(col(CUSTOMER_ID).isNotNull())
                .and(trim(col(CUSTOMER_ID)).notEqual(""));
    }

    /**
     * One row per customer_id, in the customer schema. A customer_id that appears twice keeps its
     * last line: a line appended later corrects an earlier one, and an order is never joined twice.
     */
    public static Dataset<Row> clean(Dataset<Row> parsed) {
        Column[] customerColumns = Arrays.stream(Schemas.CUSTOMER.fieldNames()).map(name -> col(name))
                .toArray(Column[]::new);
        return parsed
                .filter(isWellFormed())
                .withColumn(CUSTOMER_ID, trim(col(CUSTOMER_ID)))
                .withColumn("_latest", row_number().over(
                        Window.partitionBy(CUSTOMER_ID).orderBy(col(LINE_NUMBER).desc())))
                .filter(col("_latest").equalTo(1))
                .select(customerColumns);
    }

    private static boolean isHeader(String line) {
        return Arrays.stream(line.replace("\uFEFF", "").split(",", -1)).map(String::trim).toList()
                .equals(Schemas.names(Schemas.CUSTOMER));
    }

    private Customers() {
    }
}
