package dev.orders.producer;

import static dev.orders.common.Columns.SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderFilesTest {
    private static final StructType LINE = Schemas.ORDER_FILE
            .add(OrderFiles.CORRUPT_RECORD, DataTypes.StringType)
            .add(SOURCE, DataTypes.StringType)
            .add(OrderFiles.IN_FILE_WITH_ORDER_HEADER, DataTypes.BooleanType);

    @Test
    void theHeaderLineOfAGoodFileIsLeftOutAndEveryLineOfABadFileIsKept() {
        List<Row> lines = List.of(
                line("good.csv", true, "\uFEFForder_id", " order_line_id", "customer_id", "product", "amount",
                        "order_date", "quantity"),
                line("good.csv", true, "O1", "1", "C1", "Widget", "19.99", "2024-05-01 10:00:00", "3"),
                line("bad.csv", false, "order_id", "order_line_id", "customer_id", "product", "amount",
                        "order_date", "quantity"),
                line("bad.csv", false, "O2", "1", "C1", "Widget", "19.99", "2024-05-01 10:00:00", "3"));

        List<String> kept = OrderFiles.withoutHeaderLines(LocalSpark.session().createDataFrame(lines, LINE))
                .collectAsList().stream()
                .map(row -> row.getAs(SOURCE) + " " + row.getAs("order_id"))
                .toList();

        assertEquals(List.of("good.csv O1", "bad.csv order_id", "bad.csv O2"), kept);
    }

    @Test
    void theFirstLineOfAFileIsReadDecompressedWhenItsNameSaysSo(@TempDir Path dir) throws IOException {
        Path plain = Files.writeString(dir.resolve("order_1.csv"), Schemas.ORDER_FILE_HEADER + "\nO1,1,C1,p,1.00,x,1\n");
        Path gzipped = dir.resolve("order_2.csv.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gzipped))) {
            out.write((Schemas.ORDER_FILE_HEADER + "\nO2,1,C1,p,1.00,x,1\n").getBytes(StandardCharsets.UTF_8));
        }
        Path empty = Files.createFile(dir.resolve("order_3.csv"));

        assertEquals(Schemas.ORDER_FILE_HEADER, OrderFileHeaders.firstLine(new Configuration(), plain.toUri().toString()));
        assertEquals(Schemas.ORDER_FILE_HEADER, OrderFileHeaders.firstLine(new Configuration(), gzipped.toUri().toString()));
        assertNull(OrderFileHeaders.firstLine(new Configuration(), empty.toUri().toString()));
    }

    private static Row line(String file, boolean inFileWithOrderHeader, String... columns) {
        Object[] values = new Object[columns.length + 3];
        System.arraycopy(columns, 0, values, 0, columns.length);
        values[columns.length + 1] = file;
        values[columns.length + 2] = inFileWithOrderHeader;
        return RowFactory.create(values);
    }
}
