package dev.orders.common.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code --name value} arguments against a list of {@link OptionSpec}s, with environment fallbacks. */
public final class CommandLine {
    private final String program;
    private final String summary;
    private final Map<String, OptionSpec> specs = new LinkedHashMap<>();

    public CommandLine(String program, String summary, List<OptionSpec> specs) {
        this.program = program;
        this.summary = summary;
        for (OptionSpec spec : specs) {
            this.specs.put(spec.name(), spec);
        }
    }

    public List<OptionSpec> options() {
        return List.copyOf(specs.values());
    }

    public String program() {
        return program;
    }

    public ParsedArgs parse(String[] args, Map<String, String> env) {
        Map<String, List<String>> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            String name = arg;
            String inlineValue = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                inlineValue = arg.substring(equals + 1);
            }
            OptionSpec spec = specs.get(name);
            if (spec == null) {
                throw new UsageException(arg.startsWith("-")
                        ? "unknown option " + name
                        : "unexpected argument '" + arg + "'");
            }
            String value;
            if (spec.kind() == OptionSpec.Kind.FLAG) {
                if (inlineValue != null) {
                    throw new UsageException(name + " takes no value");
                }
                value = "true";
            } else if (inlineValue != null) {
                value = inlineValue;
            } else if (i + 1 < args.length && !specs.containsKey(args[i + 1])) {
                value = args[++i];
            } else {
                throw new UsageException(name + " needs a value: " + name + " " + spec.valueName());
            }
            List<String> values = given.computeIfAbsent(name, n -> new ArrayList<>());
            if (spec.kind() == OptionSpec.Kind.VALUE && !values.isEmpty()) {
                throw new UsageException(name + " is given twice");
            }
            values.add(value);
        }
        Map<String, List<String>> resolved = new LinkedHashMap<>();
        for (OptionSpec spec : specs.values()) {
            List<String> values = given.get(spec.name());
            if (values == null && spec.env() != null && env.get(spec.env()) != null
                    && !env.get(spec.env()).isBlank()) {
                values = fromEnvironment(spec, env.get(spec.env()));
            }
            if (values == null && spec.defaultValue() != null) {
                values = List.of(spec.defaultValue());
            }
            resolved.put(spec.name(), values == null ? List.of() : List.copyOf(values));
        }
        return new ParsedArgs(resolved, given.keySet());
    }

    private static List<String> fromEnvironment(OptionSpec spec, String raw) {
        return switch (spec.kind()) {
            case FLAG -> switch (raw.trim().toLowerCase(java.util.Locale.ROOT)) {
                case "true", "1", "yes" -> List.of("true");
                case "false", "0", "no" -> List.of();
                default -> throw new UsageException(spec.env() + " must be true or false, not '" + raw + "'");
            };
            case REPEATED -> raw.lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
            case VALUE -> List.of(raw.trim());
        };
    }

    public String usage() {
        StringBuilder text = new StringBuilder();
        text.append("Usage: ").append(program).append(" [options]\n\n").append(summary).append("\n\nOptions:\n");
        for (OptionSpec spec : specs.values()) {
            text.append(spec.usageLine()).append('\n');
        }
        text.append(String.format("%-36s %s%n", "  --help", "print this help and exit"));
        return text.toString();
    }
}
