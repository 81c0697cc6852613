package dev.orders.local;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a customer file and order files for demos, tests and benchmarks; the same seed gives the same
 * files. Each order file is a slice of time of its own ({@code fileSpan}, the next file the next slice), its
 * lines spread over it in order, as an export would have them: event time advances as it would in
 * production, the consumer's deduplication state stays bounded, and N files read together span N slices.
 */
public final class OrderDataGenerator {
    static final String CUSTOMER_HEADER = "customer_id,name,age,city";
    static final String ORDER_HEADER = "order_id,order_line_id,customer_id,product,amount,order_date,quantity";
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final String[] FIRST_NAMES = {"Alice", "Bob", "Chloé", "Dmitri", "Emma", "Farid", "Grace", "Hiro",
        "Ines", "Jonas", "Kofi", "Lena", "Mateo", "Nora", "Omar", "Priya", "Quentin", "Rosa", "Sven", "Tariq"};
    private static final String[] LAST_NAMES = {"Martin", "Smith", "Müller", "Rossi", "Garcia", "Nowak", "Kim",
        "Silva", "Dubois", "Jensen"};
    private static final String[] CITIES = {"Paris", "Berlin", "Madrid", "Rome", "Lisbon", "Warsaw", "Dublin",
        "Vienna", "Prague", "Oslo", "Lyon", "Porto"};
    private static final String[] PRODUCTS = {"Widget", "Gadget", "Lamp", "Desk", "Chair", "Notebook", "Pen",
        "Mug", "Backpack", "Headphones", "Monitor", "Keyboard"};
    /** A late line is this far behind the newest order date: well past the default 10-minute watermark. */
    private static final int LATE_BY_MINUTES = 30;
    /** Duplicates repeat one of the last lines written, so they fall inside the watermark. */
    private static final int RECENT_LINES = 200;

    /** What to generate. Rates are fractions of the order lines, from 0 to 1. */
    public record Spec(int customers, int orderLines, int files, double duplicateRate, double lateRate,
            double unknownCustomerRate, double malformedRate, long seed, boolean repeatLastFile, Duration fileSpan) {
        /** Each file a one-minute slice of time, the next file the next minute. */
        public static final Duration DEFAULT_FILE_SPAN = Duration.ofMinutes(1);
    }

    /** What was written, by kind of line. */
    public record Summary(long lines, long valid, long duplicates, long late, long unknownCustomer, long malformed,
            List<Path> files) {
        public String describe() {
            return String.format("%d order lines in %d files: %d new and valid, %d duplicates, %d late, "
                    + "%d unknown customer, %d malformed", lines, files.size(), valid, duplicates, late,
                    unknownCustomer, malformed);
        }
    }

    private final Spec spec;
    private final SplittableRandom random;

    public OrderDataGenerator(Spec spec) {
        this.spec = spec;
        this.random = new SplittableRandom(spec.seed());
    }

    /** Writes {@code out/customers/customer.csv} and {@code out/orders/order_1.csv ... order_N.csv}. */
    public Summary writeTo(Path out) throws IOException {
        Path customers = out.resolve("customers").resolve("customer.csv");
        Path orders = out.resolve("orders");
        Files.createDirectories(customers.getParent());
        Files.createDirectories(orders);
        writeCustomers(customers);

        long valid = 0;
        long duplicates = 0;
        long late = 0;
        long unknown = 0;
        long malformed = 0;
        List<String> recent = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        LocalDateTime firstSlice = LocalDateTime.of(2024, 5, 1, 8, 0, 0);
        LocalDateTime clock = firstSlice;
        int orderNumber = 0;
        int lineOfOrder = 0;
        int linesLeftInOrder = 0;
        long written = 0;
        for (int file = 1; file <= spec.files(); file++) {
            long linesInFile = spec.orderLines() / spec.files() + (file <= spec.orderLines() % spec.files() ? 1 : 0);
            Path path = orders.resolve("order_" + file + ".csv");
            Path staged = orders.resolve(".order_" + file + ".csv.tmp");
            // A file is a slice of time of its own, after the slice of the file before, as exports are.
            LocalDateTime sliceStart = firstSlice.plus(spec.fileSpan().multipliedBy(file - 1));
            try (BufferedWriter writer = Files.newBufferedWriter(staged, StandardCharsets.UTF_8)) {
                writer.write(ORDER_HEADER);
                writer.write('\n');
                for (long i = 0; i < linesInFile; i++) {
                    clock = sliceStart.plus(spec.fileSpan().multipliedBy(i).dividedBy(linesInFile));
                    String line;
                    double kind = random.nextDouble();
                    if (kind < spec.duplicateRate() && !recent.isEmpty()) {
                        line = recent.get(random.nextInt(recent.size()));
                        duplicates++;
                    } else if (kind < spec.duplicateRate() + spec.malformedRate()) {
                        line = malformedLine(++orderNumber, clock);
                        malformed++;
                    } else {
                        if (linesLeftInOrder == 0) {
                            orderNumber++;
                            lineOfOrder = 0;
                            linesLeftInOrder = 1 + random.nextInt(3);
                        }
                        linesLeftInOrder--;
                        lineOfOrder++;
                        double variant = random.nextDouble();
                        boolean isLate = variant < spec.lateRate();
                        boolean isUnknown = !isLate && variant < spec.lateRate() + spec.unknownCustomerRate();
                        String customer = isUnknown ? unknownCustomerId(random.nextInt(100_000))
                                : customerId(1 + random.nextInt(spec.customers()));
                        LocalDateTime date = isLate ? clock.minusMinutes(LATE_BY_MINUTES) : clock;
                        line = String.join(",", orderId(orderNumber), String.valueOf(lineOfOrder), customer,
                                PRODUCTS[random.nextInt(PRODUCTS.length)], amount(), DATE_TIME.format(date),
                                String.valueOf(1 + random.nextInt(5)));
                        if (isLate) {
                            late++;
                        } else if (isUnknown) {
                            unknown++;
                        } else {
                            valid++;
                            recent.add(line);
                            if (recent.size() > RECENT_LINES) {
                                recent.remove(0);
                            }
                        }
                    }
                    writer.write(line);
                    writer.write('\n');
                    written++;
                }
            }
            // Moved in whole: a file stream must never see a half-written order file.
            Files.move(staged, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            files.add(path);
        }
        if (spec.repeatLastFile() && !files.isEmpty()) {
            Path last = files.get(files.size() - 1);
            Path repeat = orders.resolve("order_" + (spec.files() + 1) + ".csv");
            Files.copy(last, repeat, StandardCopyOption.REPLACE_EXISTING);
            long repeated = Files.lines(last).count() - 1;
            written += repeated;
            duplicates += repeated;
            files.add(repeat);
        }
        return new Summary(written, valid, duplicates, late, unknown, malformed, files);
    }

    private void writeCustomers(Path path) throws IOException {
        try (BufferedWriter writer = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            writer.write(CUSTOMER_HEADER);
            writer.write('\n');
            for (int i = 1; i <= spec.customers(); i++) {
                writer.write(String.join(",", customerId(i),
                        FIRST_NAMES[random.nextInt(FIRST_NAMES.length)] + " " + LAST_NAMES[random.nextInt(LAST_NAMES.length)],
                        String.valueOf(18 + random.nextInt(70)), CITIES[random.nextInt(CITIES.length)]));
                writer.write('\n');
            }
        }
    }

    private String malformedLine(int order, LocalDateTime clock) {
        String date = DATE_TIME.format(clock);
        return switch (random.nextInt(4)) {
            case 0 -> String.join(",", orderId(order), "1", customerId(1), "Widget", "12.5O", date, "1");
            case 1 -> String.join(",", orderId(order), "1", customerId(1), "Widget", "12.50", date, "two");
            case 2 -> String.join(",", orderId(order), "1", customerId(1), "Widget", "12.50", "yesterday", "1");
            default -> String.join(",", orderId(order), "1", customerId(1), "Widget", "12.50");
        };
    }

    private String amount() {
        return BigDecimal.valueOf(50 + random.nextInt(99_950), 2).toPlainString();
    }

    private static String orderId(int n) {
        return String.format("O%07d", n);
    }

    private static String customerId(int n) {
        return String.format("C%05d", n);
    }

    /** Never a customer's id, however many customers there are: customer ids start with C. */
    static String unknownCustomerId(int n) {
        return String.format("X%05d", n);
    }
}
