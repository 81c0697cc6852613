package dev.orders.common.cli;

/**
 * One command-line option: {@code --name VALUE}, a flag, or a repeatable {@code --name VALUE}.
 * A value can also come from the environment variable {@code env} (the command line wins), so that
 * docker compose can configure the apps.
 */
public record OptionSpec(String name, Kind kind, String env, String defaultValue, String valueName, String help) {

    public enum Kind { VALUE, FLAG, REPEATED }

    public static OptionSpec value(String name, String env, String defaultValue, String valueName, String help) {
        return new OptionSpec(name, Kind.VALUE, env, defaultValue, valueName, help);
    }

    public static OptionSpec flag(String name, String env, String help) {
        return new OptionSpec(name, Kind.FLAG, env, null, null, help);
    }

    /** Repeatable; from the environment, one value per line. */
    public static OptionSpec repeated(String name, String env, String valueName, String help) {
        return new OptionSpec(name, Kind.REPEATED, env, null, valueName, help);
    }

    String usageLine() {
        StringBuilder line = new StringBuilder("  ").append(name);
        if (kind != Kind.FLAG) {
            line.append(' ').append(valueName);
        }
        String details = help;
        if (kind == Kind.REPEATED) {
            details += " (repeatable)";
        }
        if (defaultValue != null) {
            details += " [default: " + defaultValue + "]";
        }
        if (env != null) {
            details += " [env: " + env + "]";
        }
        return String.format("%-36s %s", line, details);
    }
}
