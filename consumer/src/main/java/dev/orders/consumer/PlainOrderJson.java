package dev.orders.consumer;

import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a message in the plain form the producer writes, without Spark's JSON reader: {@code from_json} opens
 * a new character reader and parser context for every message, which was half of its cost and a fifth of the
 * consumer's CPU. Anything this class is not certain about it leaves to {@code from_json}: it answers null.
 *
 * <p>The plain form: one JSON object, no whitespace, nothing after it; each member a field of the schema at
 * most once (any order, missing ones null); a text field a string without escapes or control characters, in
 * well-formed UTF-8; a whole number field at most 9 digits; a decimal field at most 10 digits before the point
 * and at most its scale after it, no exponent; {@code null} for any field. For such a message the values are
 * exactly those {@code from_json} gives (the differential test in {@code PlainOrderJsonTest} holds the two to it).
 */
final class PlainOrderJson implements Serializable {
    private static final byte[] NULL = "null".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_INT_DIGITS = 9;
    private static final int MAX_DECIMAL_INTEGER_DIGITS = 10;

    private enum Kind { TEXT, WHOLE_NUMBER, DECIMAL }

    private final byte[][] names;
    private final Kind[] kinds;
    /** The scale of each decimal field (0 for the others). */
    private final int[] scales;

    /** @param schema the fields, each a string, an integer or a decimal of a scale below its precision by 10 or more */
    PlainOrderJson(StructType schema) {
        StructField[] fields = schema.fields();
        names = Arrays.stream(fields).map(field -> field.name().getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
        kinds = new Kind[fields.length];
        scales = new int[fields.length];
        for (int i = 0; i < fields.length; i++) {
            DataType type = fields[i].dataType();
            if (type.equals(DataTypes.StringType)) {
                kinds[i] = Kind.TEXT;
            } else if (type.equals(DataTypes.IntegerType)) {
                kinds[i] = Kind.WHOLE_NUMBER;
            } else if (type instanceof DecimalType decimal
                    && decimal.precision() - decimal.scale() >= MAX_DECIMAL_INTEGER_DIGITS) {
                kinds[i] = Kind.DECIMAL;
                scales[i] = decimal.scale();
            } else {
                throw new IllegalArgumentException("not a type of the plain form: " + type);
            }
        }
    }

    /** The values in the schema's order (String, Integer, BigDecimal or null); null when not in the plain form. */
    Object[] read(byte[] message) {
        if (message == null || message.length < 2 || message[0] != '{' || message[message.length - 1] != '}') {
            return null;
        }
        Object[] values = new Object[names.length];
        boolean[] seen = new boolean[names.length];
        int at = 1;
        int end = message.length - 1;
        if (at == end) {
            return values;
        }
        while (true) {
            if (message[at] != '"') {
                return null;
            }
            int nameEnd = closingQuote(message, at + 1, end);
            int field = nameEnd < 0 ? -1 : field(message, at + 1, nameEnd);
            if (field < 0 || seen[field] || nameEnd + 1 >= end || message[nameEnd + 1] != ':') {
                return null;
            }
            seen[field] = true;
            int valueStart = nameEnd + 2;
            int valueEnd = valueEnd(message, valueStart, end);
            if (valueEnd == valueStart) {
                return null;
            }
            if (!isNull(message, valueStart, valueEnd)) {
                Object value = value(field, message, valueStart, valueEnd);
                if (value == null) {
                    return null;
                }
                values[field] = value;
            }
            if (valueEnd == end) {
                return values;
            }
            if (message[valueEnd] != ',') {
                return null;
            }
            at = valueEnd + 1;
        }
    }

    private Object value(int field, byte[] message, int from, int to) {
        return switch (kinds[field]) {
            case TEXT -> text(message, from, to);
            case WHOLE_NUMBER -> wholeNumber(message, from, to);
            case DECIMAL -> decimal(scales[field], message, from, to);
        };
    }

    /**
     * A string, else null. A value that starts with a quote ends at its closing quote: {@link #valueEnd} has
     * already checked it for escapes, control characters and UTF-8.
     */
    private static String text(byte[] message, int from, int to) {
        if (message[from] != '"') {
            return null;
        }
        return new String(message, from + 1, to - from - 2, StandardCharsets.UTF_8);
    }

    private static Integer wholeNumber(byte[] message, int from, int to) {
        int digitsFrom = message[from] == '-' ? from + 1 : from;
        if (!isInteger(message, digitsFrom, to, MAX_INT_DIGITS)) {
            return null;
        }
        return Integer.parseInt(new String(message, from, to - from, StandardCharsets.US_ASCII));
    }

    private static BigDecimal decimal(int scale, byte[] message, int from, int to) {
        int digitsFrom = message[from] == '-' ? from + 1 : from;
        int point = digitsFrom;
        while (point < to && message[point] != '.') {
            point++;
        }
        if (!isInteger(message, digitsFrom, point, MAX_DECIMAL_INTEGER_DIGITS)) {
            return null;
        }
        if (point < to) {
            int fraction = to - point - 1;
            if (fraction < 1 || fraction > scale || !allDigits(message, point + 1, to)) {
                return null;
            }
        }
        return new BigDecimal(new String(message, from, to - from, StandardCharsets.US_ASCII)).setScale(scale);
    }

    /** 1 to {@code maxDigits} digits, no leading zero but a lone 0, as JSON writes an integer. */
    private static boolean isInteger(byte[] message, int from, int to, int maxDigits) {
        int digits = to - from;
        return digits >= 1 && digits <= maxDigits && allDigits(message, from, to)
                && (message[from] != '0' || digits == 1);
    }

    private static boolean allDigits(byte[] message, int from, int to) {
        for (int i = from; i < to; i++) {
            if (message[i] < '0' || message[i] > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Where a string that starts at {@code from} ends: its closing quote; -1 at an escape, a control character
     * or bytes that are not well-formed UTF-8 (which a reader would have to replace: left to {@code from_json}).
     */
    private static int closingQuote(byte[] message, int from, int end) {
        int i = from;
        while (i < end) {
            int b = message[i] & 0xFF;
            if (b == '"') {
                return i;
            }
            if (b == '\\' || b < 0x20) {
                return -1;
            }
            if (b < 0x80) {
                i++;
            } else {
                int length = utf8SequenceLength(message, i, end);
                if (length < 0) {
                    return -1;
                }
                i += length;
            }
        }
        return -1;
    }

    /** The length of the well-formed UTF-8 sequence of 2 to 4 bytes at {@code at} (RFC 3629, table 3-7 of Unicode), else -1. */
    private static int utf8SequenceLength(byte[] message, int at, int end) {
        int first = message[at] & 0xFF;
        int length;
        int secondMin = 0x80;
        int secondMax = 0xBF;
        if (first >= 0xC2 && first <= 0xDF) {
            length = 2;
        } else if (first >= 0xE0 && first <= 0xEF) {
            length = 3;
            secondMin = first == 0xE0 ? 0xA0 : 0x80;
            secondMax = first == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (first >= 0xF0 && first <= 0xF4) {
            length = 4;
            secondMin = first == 0xF0 ? 0x90 : 0x80;
            secondMax = first == 0xF4 ? 0x8F : 0xBF; // at most U+10FFFF
        } else {
            return -1;
        }
        if (at + length > end) {
            return -1;
        }
        int second = message[at + 1] & 0xFF;
        if (second < secondMin || second > secondMax) {
            return -1;
        }
        for (int i = at + 2; i < at + length; i++) {
            if ((message[i] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return length;
    }

    /** The end of a value that starts at {@code from}: a string's closing quote + 1, else the next ',' or the end. */
    private static int valueEnd(byte[] message, int from, int end) {
        if (from < end && message[from] == '"') {
            int quote = closingQuote(message, from + 1, end);
            return quote < 0 ? from : quote + 1;
        }
        int i = from;
        while (i < end && message[i] != ',') {
            i++;
        }
        return i;
    }

    private int field(byte[] message, int from, int to) {
        for (int i = 0; i < names.length; i++) {
            if (Arrays.equals(names[i], 0, names[i].length, message, from, to)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean isNull(byte[] message, int from, int to) {
        return Arrays.equals(NULL, 0, NULL.length, message, from, to);
    }
}
