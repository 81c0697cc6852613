package dev.orders.producer;

import static org.apache.spark.sql.functions.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomersTest {
    private final SparkSession spark = LocalSpark.session();

    @TempDir
    Path dir;

    @Test
    void malformedLinesAreSkippedAndTheLastLineOfARepeatedIdWins() throws IOException {
        Path file = Files.writeString(dir.resolve("customer.csv"), String.join("\n",
                "customer_id,name,age,city",
                "C1,Alice,30,Paris",
                "C2,Bob,forty,Berlin",
                ",Nobody,20,Nowhere",
                "C3,\"Smith, Jane\",52,Rome",
                "C1,Alice,31,Marseille") + "\n");

        Dataset<Row> parsed = Customers.read(spark, file.toString());

        assertEquals(List.of("[C1,Alice,31,Marseille]", "[C3,Smith, Jane,52,Rome]"), rows(Customers.clean(parsed)));
        assertEquals(new Customers.LineCounts(5, 2), Customers.countLines(parsed));
        // Every column read, as the customer table reads them: Spark's CSV reader parses only the columns
        // a query needs, and "forty" is an error only once age is parsed.
        assertEquals(List.of("C2,Bob,forty,Berlin", "null,Nobody,20,Nowhere"), parsed.filter(not(Customers.isWellFormed()))
                .orderBy(Customers.ROW_IN_BLOCK).collectAsList().stream()
                .map(row -> row.getAs(Customers.CORRUPT_RECORD) == null
                        ? row.getAs("customer_id") + "," + row.getAs("name") + "," + row.getAs("age") + "," + row.getAs("city")
                        : row.<String>getAs(Customers.CORRUPT_RECORD))
                .toList());
    }

    /**
     * A file read in many small parts, each customer_id written once early and once again later: the later
     * line wins even when it lies in another part than the first, whichever task reads which part first.
     */
    @Test
    void theLastLineOfARepeatedIdWinsAcrossThePartsOfAFileReadInParallel() throws IOException {
        List<String> lines = new ArrayList<>(List.of("customer_id,name,age,city"));
        for (int i = 1; i <= 200; i++) {
            lines.add(String.format("C%03d,First,%d,Paris", i, 20 + i % 50));
        }
        for (int i = 200; i >= 1; i -= 2) { // the even ids again, in reverse order, at the end
            lines.add(String.format("C%03d,Second,%d,Rome", i, 20 + i % 50));
        }
        Path file = Files.writeString(dir.resolve("customer.csv"), String.join("\n", lines) + "\n");
        long partBytes = 512;

        List<String> customers;
        int parts;
        String before = spark.conf().get("spark.sql.files.maxPartitionBytes");
        spark.conf().set("spark.sql.files.maxPartitionBytes", partBytes);
        try {
            Dataset<Row> parsed = Customers.read(spark, file.toString());
            parts = parsed.javaRDD().getNumPartitions();
            customers = rows(Customers.clean(parsed));
        } finally {
            spark.conf().set("spark.sql.files.maxPartitionBytes", before);
        }

        assertEquals((Files.size(file) + partBytes - 1) / partBytes, parts);
        assertTrue(parts >= 10, "parts: " + parts);
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 200; i++) {
            expected.add(String.format(i % 2 == 0 ? "[C%03d,Second,%d,Rome]" : "[C%03d,First,%d,Paris]", i, 20 + i % 50));
        }
        assertEquals(expected, customers);
    }

    @Test
    void theHeaderIsTheFourCustomerColumns() {
        assertTrue(Customers.isHeader("customer_id,name,age,city"));
        assertTrue(Customers.isHeader("\uFEFFcustomer_id, name, age, city"));
        assertFalse(Customers.isHeader("C1,Alice,30,Paris"));
        assertFalse(Customers.isHeader("customer_id,name,age"));
        assertFalse(Customers.isHeader(""));
    }

    private static List<String> rows(Dataset<Row> customers) {
        return customers.orderBy("customer_id").collectAsList().stream().map(Row::toString).toList();
    }
}
