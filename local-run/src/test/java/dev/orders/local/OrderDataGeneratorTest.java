package dev.orders.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderDataGeneratorTest {
    private static final OrderDataGenerator.Spec SPEC =
            new OrderDataGenerator.Spec(50, 1000, 4, 0.1, 0.05, 0.05, 0.05, 7, true);

    @Test
    void theSameSeedWritesTheSameFiles(@TempDir Path first, @TempDir Path second) throws IOException {
        new OrderDataGenerator(SPEC).writeTo(first);
        new OrderDataGenerator(SPEC).writeTo(second);

        for (String file : List.of("customers/customer.csv", "orders/order_1.csv", "orders/order_4.csv",
                "orders/order_5.csv")) {
            assertEquals(Files.readString(first.resolve(file)), Files.readString(second.resolve(file)), file);
        }
    }

    @Test
    void anotherSeedWritesOtherFiles(@TempDir Path first, @TempDir Path second) throws IOException {
        new OrderDataGenerator(SPEC).writeTo(first);
        new OrderDataGenerator(new OrderDataGenerator.Spec(50, 1000, 4, 0.1, 0.05, 0.05, 0.05, 8, true))
                .writeTo(second);

        assertNotEquals(Files.readString(first.resolve("orders/order_1.csv")),
                Files.readString(second.resolve("orders/order_1.csv")));
    }

    @Test
    void theSummaryCountsWhatTheFilesHold(@TempDir Path out) throws IOException {
        OrderDataGenerator.Summary summary = new OrderDataGenerator(SPEC).writeTo(out);

        List<String> lines = new java.util.ArrayList<>();
        for (Path file : summary.files()) {
            List<String> fileLines = Files.readAllLines(file);
            assertEquals(OrderDataGenerator.ORDER_HEADER, fileLines.get(0));
            lines.addAll(fileLines.subList(1, fileLines.size()));
        }
        assertEquals(5, summary.files().size());
        assertEquals(summary.lines(), lines.size());
        assertEquals(summary.lines(), summary.valid() + summary.duplicates() + summary.late()
                + summary.unknownCustomer() + summary.malformed());
        Set<String> distinct = new HashSet<>(lines);
        assertEquals(lines.size() - summary.duplicates(), distinct.size());
        assertEquals(51, Files.readAllLines(out.resolve("customers/customer.csv")).size());
        assertEquals(Files.readString(summary.files().get(3)), Files.readString(summary.files().get(4)));
    }
}
