package dev.orders.producer;

import static dev.orders.common.Columns.SOURCE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.LocalSpark;
import dev.orders.common.Schemas;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
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

        assertEquals(Schemas.ORDER_FILE_HEADER, OrderFileChecks.firstLine(new Configuration(), plain.toUri().toString()));
        assertEquals(Schemas.ORDER_FILE_HEADER, OrderFileChecks.firstLine(new Configuration(), gzipped.toUri().toString()));
        assertNull(OrderFileChecks.firstLine(new Configuration(), empty.toUri().toString()));
    }

    @Test
    void theStreamGivesEachLineItsFilesVerdictFromTheSizeAndTimeTheSourcePlanned(@TempDir Path dir) throws Exception {
        Path orders = Files.createDirectories(dir.resolve("orders"));
        Files.writeString(orders.resolve("good.csv"), Schemas.ORDER_FILE_HEADER + "\nG1,1,C1,p,1.00,x,1\n");
        Files.writeString(orders.resolve("cut.csv"), Schemas.ORDER_FILE_HEADER + "\nE1,1,C1,p,1.00,x,3\nE2,1,C1,p,1.00,x,1");
        Files.writeString(orders.resolve("other.csv"), "a,b,c,d,e,f,g\nW1,1,C1,p,1.00,x,1\n");
        List<String> seen = new CopyOnWriteArrayList<>();

        StreamingQuery query = OrderFiles.readStream(LocalSpark.session(), orders.toString(), 10, Duration.ofDays(365))
                .writeStream()
                .option("checkpointLocation", dir.resolve("checkpoint").toString())
                .trigger(Trigger.AvailableNow())
                .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (lines, batchId) -> lines.collectAsList()
                        .forEach(row -> seen.add(String.join(" ", fileName(row.getAs(SOURCE)), row.getAs("order_id"),
                                String.valueOf((Boolean) row.getAs(OrderFiles.IN_FILE_WITH_ORDER_HEADER)),
                                String.valueOf((Object) row.getAs(OrderFiles.FILE_PROBLEM))))))
                .start();
        assertTrue(query.awaitTermination(120_000), "the stream did not end");

        assertEquals(List.of(
                "cut.csv E1 true file_changed_while_read",
                "cut.csv E2 true file_changed_while_read",
                "good.csv G1 true null",
                "other.csv W1 false bad_header",
                "other.csv a false bad_header"), seen.stream().sorted().toList());
    }

    @Test
    void aLargeFileIsReadByParallelTasksEachLineOnceAndItsHeaderLeftOut(@TempDir Path dir) throws Exception {
        Path orders = Files.createDirectories(dir.resolve("orders"));
        StringBuilder file = new StringBuilder(Schemas.ORDER_FILE_HEADER).append('\n');
        int lines = 8_000; // about 0.6 MB: more than twice the open cost the producer counts
        for (int i = 0; i < lines; i++) {
            file.append("O").append(i).append(",1,C00001,Widget with a longer name,19.99,2024-05-01 10:00:00,3\n");
        }
        Files.writeString(orders.resolve("large.csv"), file);
        List<Integer> tasks = new CopyOnWriteArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();

        SparkSession spark = LocalSpark.session();
        OrdersProducer.splitLargeFiles(spark);
        try {
            StreamingQuery query = OrderFiles.readStream(spark, orders.toString(), 1, Duration.ofDays(365))
                    .writeStream()
                    .option("checkpointLocation", dir.resolve("checkpoint").toString())
                    .trigger(Trigger.AvailableNow())
                    .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) -> {
                        tasks.add(batch.rdd().getNumPartitions());
                        batch.collectAsList().forEach(row -> seen.add(row.getAs("order_id") + " "
                                + row.getAs(OrderFiles.IN_FILE_WITH_ORDER_HEADER) + " "
                                + row.getAs(OrderFiles.FILE_PROBLEM)));
                    })
                    .start();
            assertTrue(query.awaitTermination(120_000), "the stream did not end");
        } finally {
            spark.conf().unset("spark.sql.files.openCostInBytes");
        }

        assertEquals(List.of(2), tasks);
        assertEquals(lines, seen.size());
        assertEquals(lines, new java.util.HashSet<>(seen).size());
        assertTrue(seen.stream().allMatch(line -> line.matches("O\\d+ true null")), seen.get(0));
    }

    private static String fileName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static Row line(String file, boolean inFileWithOrderHeader, String... columns) {
        Object[] values = new Object[columns.length + 3];
        System.arraycopy(columns, 0, values, 0, columns.length);
        values[columns.length + 1] = file;
        values[columns.length + 2] = inFileWithOrderHeader;
        return RowFactory.create(values);
    }
}
