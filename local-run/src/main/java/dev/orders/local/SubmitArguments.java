package dev.orders.local;

import dev.orders.common.cli.UsageException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The arguments of {@code bin/pipeline producer|consumer}, split as {@code spark-submit [its options] app.jar
 * [app options]} would take them: spark-submit's own options first, then, from the first argument that is
 * not one of them, the app's.
 */
public record SubmitArguments(List<String> submitOptions, List<String> appArgs) {
    /** spark-submit's options that take a value ({@code --opt value} or {@code --opt=value}). */
    static final Set<String> WITH_VALUE = Set.of("--master", "--deploy-mode", "--conf", "-c", "--name", "--jars",
            "--packages", "--exclude-packages", "--repositories", "--files", "--archives", "--properties-file",
            "--driver-memory", "--driver-java-options", "--driver-library-path", "--driver-class-path",
            "--driver-cores", "--executor-memory", "--executor-cores", "--total-executor-cores", "--num-executors",
            "--queue", "--principal", "--keytab", "--proxy-user");
    /** spark-submit's options that take none. */
    static final Set<String> FLAGS = Set.of("--supervise", "--verbose");

    /**
     * Splits {@code args}. Submit options come out as {@code --opt value} pairs ({@code -c} as {@code --conf}),
     * whichever form they were given in.
     *
     * @throws UsageException when a spark-submit option that takes a value has none
     */
    public static SubmitArguments split(String... args) {
        List<String> submitOptions = new ArrayList<>();
        int i = 0;
        while (i < args.length) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            String name = arg.startsWith("-") && equals > 0 ? arg.substring(0, equals) : arg;
            if (FLAGS.contains(arg)) {
                submitOptions.add(arg);
                i++;
            } else if (WITH_VALUE.contains(name)) {
                String value;
                if (equals > 0 && name.length() == equals) {
                    value = arg.substring(equals + 1);
                    i++;
                } else if (i + 1 < args.length) {
                    value = args[i + 1];
                    i += 2;
                } else {
                    throw new UsageException("spark-submit's " + name + " needs a value");
                }
                submitOptions.add(name.equals("-c") ? "--conf" : name);
                submitOptions.add(value);
            } else {
                break;
            }
        }
        return new SubmitArguments(List.copyOf(submitOptions), List.of(args).subList(i, args.length));
    }
}
