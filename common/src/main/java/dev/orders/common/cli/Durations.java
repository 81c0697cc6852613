package dev.orders.common.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations such as {@code 10 seconds}, {@code 500ms} or {@code 10 minutes}, in the form Spark reads. */
public final class Durations {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*([a-z]+)");
    private static final Map<String, String> UNITS = Map.ofEntries(
            Map.entry("ms", "milliseconds"), Map.entry("millisecond", "milliseconds"),
            Map.entry("milliseconds", "milliseconds"),
            Map.entry("s", "seconds"), Map.entry("sec", "seconds"), Map.entry("second", "seconds"),
            Map.entry("seconds", "seconds"),
            Map.entry("m", "minutes"), Map.entry("min", "minutes"), Map.entry("minute", "minutes"),
            Map.entry("minutes", "minutes"),
            Map.entry("h", "hours"), Map.entry("hour", "hours"), Map.entry("hours", "hours"),
            Map.entry("d", "days"), Map.entry("day", "days"), Map.entry("days", "days"));

    /** Returns e.g. {@code "10 seconds"}, or throws a {@link UsageException} naming the option. */
    public static String normalize(String option, String text) {
        Matcher matcher = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (matcher.matches() && UNITS.containsKey(matcher.group(2))) {
            return Long.parseLong(matcher.group(1)) + " " + UNITS.get(matcher.group(2));
        }
        throw new UsageException(option + " must be a duration such as '10 seconds' or '500 ms', not '" + text + "'");
    }

    /** The length of a normalized duration. */
    public static Duration toDuration(String normalized) {
        String[] parts = normalized.split(" ");
        long amount = Long.parseLong(parts[0]);
        return switch (parts[1]) {
            case "milliseconds" -> Duration.ofMillis(amount);
            case "seconds" -> Duration.ofSeconds(amount);
            case "minutes" -> Duration.ofMinutes(amount);
            case "hours" -> Duration.ofHours(amount);
            case "days" -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("not a normalized duration: " + normalized);
        };
    }

    /** A duration as a person says it: {@code 1 day}, {@code 36 hours}, {@code 90 seconds}. */
    public static String describe(Duration duration) {
        long millis = duration.toMillis();
        long[] sizes = {86_400_000L, 3_600_000L, 60_000L, 1_000L, 1L};
        String[] names = {"day", "hour", "minute", "second", "millisecond"};
        for (int i = 0; i < sizes.length; i++) {
            if (millis % sizes[i] == 0 && (millis >= sizes[i] || i == sizes.length - 1)) {
                long amount = millis / sizes[i];
                return amount + " " + names[i] + (amount == 1 ? "" : "s");
            }
        }
        throw new AssertionError("unreachable: every whole number of milliseconds is described");
    }

    private Durations() {
    }
}
