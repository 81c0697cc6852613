package dev.orders.producer;

import static dev.orders.common.Columns.SOURCE;
import static org.apache.spark.sql.functions.input_file_name;

import dev.orders.common.Schemas;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/** The folder of order CSV files, as a stream of order lines. */
public final class OrderFiles {
    /** Set by the CSV reader to the whole line when a line does not split into the expected columns. */
    public static final String CORRUPT_RECORD = "_corrupt_record";

    /**
     * Every line of every new file, all columns as text (validation types them), plus the line itself
     * when it does not split into seven columns, and the file it came from.
     */
    public static Dataset<Row> readStream(SparkSession spark, String ordersDir, int maxFilesPerTrigger) {
        return spark.readStream()
                .schema(Schemas.ORDER_FILE.add(CORRUPT_RECORD, DataTypes.StringType))
                .option("header", true)
                .option("mode", "PERMISSIVE")
                .option("columnNameOfCorruptRecord", CORRUPT_RECORD)
                .option("maxFilesPerTrigger", maxFilesPerTrigger)
                .csv(ordersDir)
                .withColumn(SOURCE, input_file_name());
    }

    /**
     * The files among {@code files} whose first line is not the order header, with that line. Spark's
     * CSV reader skips each file's first line without looking at it, so a file with other columns, or
     * no CSV at all, would otherwise be read as orders.
     */
    public static Map<String, String> filesWithWrongHeader(Configuration hadoopConf, Collection<String> files)
            throws IOException {
        Map<String, String> wrong = new LinkedHashMap<>();
        for (String file : files) {
            String firstLine = firstLine(hadoopConf, file);
            if (!isOrderHeader(firstLine)) {
                wrong.put(file, firstLine);
            }
        }
        return wrong;
    }

    static boolean isOrderHeader(String line) {
        if (line == null) {
            return false;
        }
        List<String> names = Arrays.stream(line.replace("\uFEFF", "").split(",", -1))
                .map(name -> name.trim().replace("\"", ""))
                .toList();
        return names.equals(Schemas.ORDER_FILE_COLUMNS);
    }

    private static String firstLine(Configuration hadoopConf, String file) throws IOException {
        Path path = new Path(URI.create(file));
        FileSystem fs = path.getFileSystem(hadoopConf);
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            String line = reader.readLine();
            return line == null ? "" : line;
        }
    }

    private OrderFiles() {
    }
}
