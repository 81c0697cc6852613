package dev.orders.common;

import static org.apache.spark.sql.functions.*;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * order_date, the pipeline's event time, read strictly: it drives the consumer's watermark, so one bad date
 * would make every later order late. Spark's own {@code to_timestamp} accepts years of 4 to 6 digits and a
 * bare {@code 2024}, and its JSON reader throws on {@code 2024-02-30} unless the legacy parser is set up;
 * here only these forms are an order date:
 *
 * <ul>
 *   <li>{@code yyyy-MM-dd HH:mm:ss}, read in a given zone (the producer's {@code --time-zone});
 *   <li>ISO-8601 with a zone: {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|+HH:mm|-HH:mm)} ({@code T} or a space,
 *       as the producer writes them into messages);
 * </ul>
 *
 * with a four-digit year from 0001, a real calendar date and time (no February 30, no hour 24), and at most
 * nine fraction digits (kept to the microsecond, Spark's precision). Producer and consumer call the same code.
 */
public final class EventTimes {
    /** What an order date looks like; the calendar is checked after. */
    private static final Pattern SHAPE = Pattern.compile(
            "(?!0000)[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})?");
    /** The forms accepted, for error messages and the README. */
    public static final String FORMATS = "yyyy-MM-dd HH:mm:ss or ISO-8601 with a zone (yyyy-MM-ddTHH:mm:ss[.SSS]Z)";
    /** The forms accepted where a zone is required (messages). */
    public static final String FORMATS_WITH_ZONE = "ISO-8601 with a zone (yyyy-MM-ddTHH:mm:ss[.SSS]Z or +HH:mm)";

    /**
     * The instant {@code text} names, in microseconds since the epoch; null when it is not an order date.
     *
     * @param zoneForLocalTimes the zone of a date-time written without one; null to require a zone
     */
    public static Long toEpochMicros(String text, String zoneForLocalTimes) {
        return epochMicros(text, zoneForLocalTimes == null ? null : ZoneId.of(zoneForLocalTimes));
    }

    /**
     * {@link #toEpochMicros(String, String)} with the zone looked up once. Called for every order line and
     * message, so the fields are read from their fixed places rather than by a {@link DateTimeFormatter},
     * which took a tenth of the consumer's time; {@code java.time} still checks the calendar.
     */
    private static Long epochMicros(String text, ZoneId zoneForLocalTimes) {
        Matcher shape = text == null ? null : SHAPE.matcher(text);
        if (shape == null || !shape.matches()) {
            return null;
        }
        String fraction = shape.group(1);
        String offset = shape.group(2);
        try {
            LocalDateTime local = LocalDateTime.of(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10),
                    digits(text, 11, 13), digits(text, 14, 16), digits(text, 17, 19));
            long epochSecond;
            if (offset != null) {
                epochSecond = local.toEpochSecond(offset.equals("Z") ? ZoneOffset.UTC : ZoneOffset.ofHoursMinutes(
                        sign(offset) * digits(offset, 1, 3), sign(offset) * digits(offset, 4, 6)));
            } else if (zoneForLocalTimes != null) {
                epochSecond = local.atZone(zoneForLocalTimes).toEpochSecond();
            } else {
                return null;
            }
            return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000L), fractionMicros(fraction));
        } catch (DateTimeException | ArithmeticException notADate) {
            return null; // February 30, hour 24, second 60, an offset beyond 18 hours...
        }
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return value;
    }

    private static int sign(String offset) {
        return offset.charAt(0) == '-' ? -1 : 1;
    }

    /** {@code .123456789} as 123456 microseconds: the digits after the sixth are dropped, as Spark keeps micros. */
    private static long fractionMicros(String fraction) {
        if (fraction == null) {
            return 0;
        }
        long micros = 0;
        for (int i = 1; i <= 6; i++) {
            micros = micros * 10 + (i < fraction.length() ? fraction.charAt(i) - '0' : 0);
        }
        return micros;
    }

    /**
     * {@link #toEpochMicros} as a timestamp column: null where the text is not an order date.
     *
     * @param zoneForLocalTimes the zone of a date-time written without one; null to require a zone
     */
    public static Column parse(Column text, String zoneForLocalTimes) {
        ZoneId zone = zoneForLocalTimes == null ? null : ZoneId.of(zoneForLocalTimes);
        UserDefinedFunction micros = udf((UDF1<String, Long>) value -> epochMicros(value, zone), DataTypes.LongType);
        // From microseconds, not through java.sql.Timestamp: that would shift dates before 1582 by the
        // Julian-Gregorian difference.
        return timestamp_micros(micros.apply(text));
    }

    /**
     * Whether an order date lies more than {@code maxFuture} ahead of {@code clock}: the one rule both apps
     * apply, each with the clock that decides the same way when its batch runs again. Compared as a
     * difference of microseconds: nothing can overflow, whatever --max-future says.
     */
    public static Column isTooFarAhead(Column timestamp, Column clock, Duration maxFuture) {
        long maxMicros = TimeUnit.SECONDS.toMicros(maxFuture.getSeconds()) >= Long.MAX_VALUE / 2
                ? Long.MAX_VALUE
                : TimeUnit.SECONDS.toMicros(maxFuture.getSeconds()) + maxFuture.getNano() / 1_000;
        return coalesce(unix_micros(timestamp).minus(unix_micros(clock)).gt(lit(maxMicros)), lit(false));
    }

    private EventTimes() {
    }
}
