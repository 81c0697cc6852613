package dev.orders.it;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded generators of mutated inputs for the fuzz test: order CSV lines and order_details messages, each
 * with the outcome the pipeline owes it. The same seed gives the same inputs, so a failure can be replayed
 * ({@code -Dfuzz.seed=N}).
 */
final class PoisonInputs {
    /** What the pipeline must do with an input: publish or output it, count it as a duplicate, or a reason code. */
    static final String PUBLISHED = "published";
    static final String OUTPUT = "output";
    static final String DUPLICATE = "duplicate";

    /** An input and its owed outcome; {@code id} is the order_id the input keeps when it goes through. */
    record Case(String id, byte[] value, String expected, String mutation) {
        String text() {
            return value == null ? null : new String(value, StandardCharsets.UTF_8);
        }
    }

    static final List<String> CUSTOMERS = List.of("C1,Alice,30,Paris", "C2,Bob,41,Berlin", "C3,Chloé,25,Lyon");
    private static final List<String> ODD_TEXT = List.of(
            "Fahrrad 🚲", "مصباح", "Lampe\u0301", "Tisch\u00A0Stuhl", "\uFEFFWidget", "椅子", "Ta\tble", "Bell\u0007",
            "Z\u200Dwidget", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢");
    private static final List<String> BAD_CSV_DATES = List.of(
            "20244-05-01 08:00:04", "2024-02-30 08:00:00", "2023-02-29 08:00:00", "2024-13-01 08:00:00", "2024",
            "2024-05-01", "2024-05-01 24:00:00", "0000-01-01 00:00:00", "01/05/2024 08:00:00", "2024-05-01 8:00:00");
    private static final List<String> BAD_MESSAGE_DATES = List.of(
            "2024-02-30T08:00:00.000Z", "2024-13-01T08:00:00.000Z", "+20244-05-01T08:00:04.000Z",
            "2024-05-01 08:00:00", "2024-05-01T08:00:00", "2024", "yesterday", "2024-05-01T25:00:00.000Z");
    private static final List<String> NOT_OBJECTS = List.of("null", "[]", "[1,2,3]", "42", "\"text\"", "", "   ",
            "not json at all", "{", "}", "{]");
    private static final List<String> REQUIRED = List.of(
            "order_id", "order_line_id", "order_date", "customer_id", "amount", "quantity");
    private static final List<String> OPTIONAL = List.of("name", "age", "city", "product");
    private static final DateTimeFormatter CSV_DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");
    private static final LocalDateTime FIRST_ORDER = LocalDateTime.of(2024, 5, 1, 8, 0);

    private final Random random;

    PoisonInputs(long seed) {
        this.random = new Random(seed);
    }

    /** Order lines (no header), one in four unchanged; every line keeps at least one non-blank character. */
    List<Case> csvLines(int count) {
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("F%04d", i);
            String[] f = {id, String.valueOf(1 + random.nextInt(3)), "C" + (1 + random.nextInt(3)), "Widget",
                    money(), CSV_DATE.format(FIRST_ORDER.plusSeconds(i)), String.valueOf(1 + random.nextInt(20))};
            int mutation = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(19);
            String expected = "malformed_order";
            String line;
            switch (mutation) {
                case 0 -> { line = csv(f); expected = PUBLISHED; }
                case 1 -> line = String.join(",", java.util.Arrays.copyOf(f, 6));
                case 2 -> line = csv(f) + ",extra";
                case 3 -> { f[6] = pick(List.of("three", "3.5", "1e3", "-", "0x10")); line = csv(f); }
                case 4 -> { f[6] = "-" + f[6]; line = csv(f); }
                case 5 -> { f[4] = "-" + f[4]; line = csv(f); }
                case 6 -> { f[4] = f[4] + "7"; line = csv(f); }
                case 7 -> { f[6] = "99999999999"; line = csv(f); }
                case 8 -> { f[4] = "12345678901.00"; line = csv(f); }
                case 9 -> { f[5] = pick(BAD_CSV_DATES); line = csv(f); }
                case 10 -> {
                    f[5] = pick(List.of("2999-01-01 00:00:00",
                            CSV_DATE.format(LocalDateTime.now(ZoneOffset.UTC).plusDays(30))));
                    line = csv(f);
                    expected = "implausible_date";
                }
                case 11 -> { f[2] = "C999"; line = csv(f); expected = "unknown_customer"; }
                case 12 -> { f[3] = pick(ODD_TEXT); line = csv(f); expected = PUBLISHED; }
                case 13 -> { f[0] = ""; line = csv(f); }
                case 14 -> { f[2] = " "; line = csv(f); }
                case 15 -> { // cut before the last column: a line cut inside its last value could still be valid
                    String whole = csv(f);
                    line = whole.substring(0, 1 + random.nextInt(whole.lastIndexOf(',')));
                }
                case 16 -> {
                    f[1] = " " + f[1] + " "; f[4] = " " + f[4]; f[6] = f[6] + " "; f[5] = " " + f[5];
                    line = csv(f);
                    expected = PUBLISHED;
                }
                case 17 -> { f[1] = f[1] + ".0"; line = csv(f); }
                case 18 -> {
                    f[5] = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX")
                            .format(FIRST_ORDER.plusSeconds(i).atOffset(ZoneOffset.ofHours(2)));
                    line = csv(f);
                    expected = PUBLISHED;
                }
                case 19 -> { f[4] = pick(List.of("", "1,5", "€5", "NaN", "Infinity")); line = csv(f); }
                default -> throw new AssertionError(mutation);
            }
            cases.add(new Case(id, line.getBytes(StandardCharsets.UTF_8), expected, "csv-" + mutation));
        }
        return cases;
    }

    /**
     * order_details message values (null for a tombstone), one in four unchanged. Every message has an order_id
     * of its own, except the exact copies of an earlier good one (duplicates).
     */
    List<Case> messages(int count) {
        List<Case> cases = new ArrayList<>();
        List<Case> good = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String id = String.format("M%04d", i);
            Message m = new Message(id, Instant.parse("2024-05-01T08:00:00Z").plusSeconds(i), money(),
                    String.valueOf(1 + random.nextInt(20)));
            int mutation = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(22);
            String expected = "wrong_type";
            byte[] value = null;
            switch (mutation) {
                case 0 -> expected = OUTPUT;
                case 1 -> {
                    if (good.isEmpty()) {
                        expected = OUTPUT;
                    } else {
                        Case copied = good.get(random.nextInt(good.size()));
                        cases.add(new Case(copied.id(), copied.value(), DUPLICATE, "message-1"));
                        continue;
                    }
                }
                case 2 -> { m.remove(pick(REQUIRED)); expected = "missing_field"; }
                case 3 -> { m.put(pick(REQUIRED), "null"); expected = "missing_field"; }
                case 4 -> { m.remove(pick(OPTIONAL)); expected = OUTPUT; }
                case 5 -> m.put("quantity", pick(List.of("\"three\"", "true", "[3]", "{\"n\":3}", "3.5")));
                case 6 -> m.put("order_line_id", pick(List.of("1.5", "\"one\"", "false", "2147483648")));
                case 7 -> m.put("age", pick(List.of("\"thirty\"", "30.5", "[]")));
                case 8 -> m.put("quantity", pick(List.of("99999999999", "-99999999999", "1e3")));
                case 9 -> m.put("amount", pick(List.of("1e400", "123456789012.00", "19.999", "0.001", "true", "\"x\"")));
                case 10 -> m.put("order_date", json(pick(BAD_MESSAGE_DATES)));
                case 11 -> {
                    m.put("order_date", json(pick(List.of("2999-01-01T00:00:00.000Z",
                            Instant.now().plusSeconds(30L * 86_400).toString()))));
                    expected = "implausible_date";
                }
                case 12 -> { m.put("amount", "-" + m.amount); expected = "invalid_value"; }
                case 13 -> { m.put("quantity", "-" + m.quantity); expected = "invalid_value"; }
                case 14 -> { m.put(pick(List.of("order_id", "customer_id")), pick(List.of("\"\"", "\"  \""))); expected = "invalid_value"; }
                case 15 -> { m.put("order_line_id", "-1"); expected = "invalid_value"; }
                case 16 -> {
                    String whole = m.text();
                    value = utf8(whole.substring(0, 1 + random.nextInt(whole.length() - 1)));
                    expected = "invalid_json";
                }
                case 17 -> {
                    String notAnObject = pick(NOT_OBJECTS);
                    value = random.nextInt(5) == 0 ? null : utf8(notAnObject);
                    expected = "invalid_json";
                }
                case 18 -> { m.put(pick(List.of("name", "product", "city")), json(pick(ODD_TEXT))); expected = OUTPUT; }
                case 19 -> { value = invalidUtf8InProduct(m); expected = OUTPUT; }
                case 20 -> { m.put("coupon", "{\"code\":\"X\",\"n\":[1,2]}"); expected = OUTPUT; }
                case 21 -> { m.put("amount", "\"" + m.amount + "\""); expected = OUTPUT; }
                case 22 -> { m.put("customer_id", "\"C999\""); expected = OUTPUT; } // the consumer knows no customers
                default -> throw new AssertionError(mutation);
            }
            Case made = new Case(id, mutation == 16 || mutation == 17 || mutation == 19 ? value : utf8(m.text()),
                    expected, "message-" + mutation);
            if (expected.equals(OUTPUT)) {
                good.add(made);
            }
            cases.add(made);
        }
        return cases;
    }

    private String money() {
        return (random.nextInt(100_000) / 100) + "." + String.format("%02d", random.nextInt(100));
    }

    private String pick(List<String> options) {
        return options.get(random.nextInt(options.size()));
    }

    private static String csv(String[] fields) {
        return String.join(",", fields);
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The message with two bytes in its product that are not UTF-8: Spark reads them as replacement characters. */
    private byte[] invalidUtf8InProduct(Message m) {
        m.put("product", "\"Wid@@get\"");
        byte[] bytes = utf8(m.text());
        String text = m.text();
        int at = text.indexOf("@@");
        bytes[at] = (byte) (random.nextBoolean() ? 0xC3 : 0xFF);
        bytes[at + 1] = (byte) (random.nextBoolean() ? 0x28 : 0xFE);
        return bytes;
    }

    /** An order_details message as the producer writes it, field by field, so a mutation can change one. */
    private static final class Message {
        private final java.util.LinkedHashMap<String, String> fields = new java.util.LinkedHashMap<>();
        final String amount;
        final String quantity;

        Message(String orderId, Instant orderDate, String amount, String quantity) {
            this.amount = amount;
            this.quantity = quantity;
            fields.put("customer_id", "\"C1\"");
            fields.put("name", "\"Alice\"");
            fields.put("age", "30");
            fields.put("city", "\"Paris\"");
            fields.put("order_id", PoisonInputs.json(orderId));
            fields.put("order_line_id", "1");
            fields.put("product", "\"Widget\"");
            fields.put("amount", amount);
            fields.put("order_date", PoisonInputs.json(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                    .format(orderDate.atOffset(ZoneOffset.UTC))));
            fields.put("quantity", quantity);
        }

        void put(String field, String jsonValue) {
            fields.put(field, jsonValue);
        }

        void remove(String field) {
            fields.remove(field);
        }

        String text() {
            StringBuilder out = new StringBuilder("{");
            fields.forEach((name, value) -> out.append(out.length() > 1 ? "," : "").append('"').append(name)
                    .append("\":").append(value));
            return out.append('}').toString();
        }
    }
}
