package dev.orders.common.cli;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** The values of a parsed command line, with the checks every app needs. */
public final class ParsedArgs {
    private final Map<String, List<String>> values;
    private final Set<String> givenOnCommandLine;

    ParsedArgs(Map<String, List<String>> values, Set<String> givenOnCommandLine) {
        this.values = values;
        this.givenOnCommandLine = Set.copyOf(givenOnCommandLine);
    }

    /** The value, or null when the option has none and no default. */
    public String value(String name) {
        List<String> list = valuesOf(name);
        return list.isEmpty() ? null : list.get(0);
    }

    public String required(String name) {
        String value = value(name);
        if (value == null || value.isBlank()) {
            throw new UsageException(name + " is required");
        }
        return value;
    }

    public boolean flag(String name) {
        return !valuesOf(name).isEmpty();
    }

    public List<String> values(String name) {
        return valuesOf(name);
    }

    public boolean givenOnCommandLine(String name) {
        return givenOnCommandLine.contains(name);
    }

    public int positiveInt(String name) {
        String text = required(name);
        try {
            int number = Integer.parseInt(text.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new UsageException(name + " must be a positive whole number, not '" + text + "'");
    }

    /** A fraction from 0 to 1, such as a rate. */
    public double fraction(String name) {
        String text = required(name);
        try {
            double number = Double.parseDouble(text.trim());
            if (number >= 0 && number <= 1) {
                return number;
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        throw new UsageException(name + " must be a number from 0 to 1, not '" + text + "'");
    }

    public long wholeNumber(String name) {
        String text = required(name);
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name + " must be a whole number, not '" + text + "'");
        }
    }

    public String duration(String name) {
        return Durations.normalize(name, required(name));
    }

    public String oneOf(String name, Set<String> allowed) {
        String value = required(name);
        if (!allowed.contains(value)) {
            throw new UsageException(name + " must be one of " + String.join("|", allowed.stream().sorted().toList())
                    + ", not '" + value + "'");
        }
        return value;
    }

    private List<String> valuesOf(String name) {
        List<String> list = values.get(name);
        if (list == null) {
            throw new IllegalArgumentException("no such option: " + name);
        }
        return list;
    }
}
