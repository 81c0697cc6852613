package dev.orders.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrderDataGeneratorTest {
    private static final OrderDataGenerator.Spec SPEC =
            new OrderDataGenerator.Spec(50, 1000, 4, 0.1, 0.05, 0.05, 0.05, 7, true, Duration.ofMinutes(1));

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
        new OrderDataGenerator(new OrderDataGenerator.Spec(50, 1000, 4, 0.1, 0.05, 0.05, 0.05, 8, true, Duration.ofMinutes(1)))
                .writeTo(second);

        assertNotEquals(Files.readString(first.resolve("orders/order_1.csv")),
                Files.readString(second.resolve("orders/order_1.csv")));
    }

    @Test
    void eachFileIsASliceOfTimeAfterTheSliceOfTheFileBefore(@TempDir Path out) throws IOException {
        Duration span = Duration.ofMinutes(5);
        OrderDataGenerator.Summary summary = new OrderDataGenerator(
                new OrderDataGenerator.Spec(50, 3000, 3, 0, 0, 0, 0, 7, false, span)).writeTo(out);

        java.time.LocalDateTime first = java.time.LocalDateTime.of(2024, 5, 1, 8, 0);
        java.time.format.DateTimeFormatter format = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
        for (int file = 0; file < 3; file++) {
            List<String> lines = Files.readAllLines(summary.files().get(file));
            java.time.LocalDateTime previous = first.plus(span.multipliedBy(file));
            for (String line : lines.subList(1, lines.size())) {
                java.time.LocalDateTime date = java.time.LocalDateTime.parse(line.split(",")[5], format);
                assertTrue(!date.isBefore(previous), line);
                previous = date;
            }
            assertTrue(previous.isBefore(first.plus(span.multipliedBy(file + 1))), lines.get(lines.size() - 1));
            assertEquals(1001, lines.size());
        }
    }

    /** With 900,000 customers or more, the ids the generator used for unknown customers were real ones. */
    @Test
    void unknownCustomerLinesNameNoCustomerEvenWithAMillionCustomers(@TempDir Path out) throws IOException {
        OrderDataGenerator.Summary summary = new OrderDataGenerator(
                new OrderDataGenerator.Spec(1_000_000, 2000, 2, 0.1, 0.05, 0.3, 0.05, 7, false, Duration.ofMinutes(1)))
                .writeTo(out);

        Set<String> customers = new HashSet<>();
        try (var lines = Files.lines(out.resolve("customers/customer.csv"))) {
            lines.skip(1).forEach(line -> customers.add(line.substring(0, line.indexOf(','))));
        }
        assertEquals(1_000_000, customers.size());
        long unknown = 0;
        for (Path file : summary.files()) {
            for (String line : Files.readAllLines(file).subList(1, Files.readAllLines(file).size())) {
                String customer = line.split(",", -1)[2];
                if (!customers.contains(customer)) {
                    unknown++;
                    assertTrue(customer.matches("X\\d{5}"), line);
                }
            }
        }
        assertTrue(summary.unknownCustomer() > 400, "unknown: " + summary.unknownCustomer());
        assertEquals(summary.unknownCustomer(), unknown);
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
