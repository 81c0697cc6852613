package dev.orders.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command {@code spark-submit --class ... --master ... app.jar [app options]} runs, without a Spark
 * distribution: a JVM with Spark's jars on the classpath, running Spark's own
 * {@code org.apache.spark.deploy.SparkSubmit}. Only Spark's jars and the shaded app jar are on it, as on
 * a cluster.
 */
public final class SparkSubmit {
    public static final String DEFAULT_MASTER = "local[*]";
    static final String EXECUTOR_JAVA_OPTIONS = "spark.executor.extraJavaOptions";

    /**
     * @param submitOptions spark-submit's own options, such as {@code --master local[2]} or {@code --conf k=v};
     *     {@code --master local[*]} when they name none
     */
    public static List<String> command(ProjectLayout layout, SparkApp app, List<String> submitOptions,
            List<String> appArgs) {
        return command(layout, app, List.of(), submitOptions, appArgs);
    }

    /** The same, with extra options for the driver JVM (heap size, GC log...). */
    public static List<String> command(ProjectLayout layout, SparkApp app, List<String> jvmOptions,
            List<String> submitOptions, List<String> appArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(layout.sparkJvmOptions());
        command.addAll(jvmOptions);
        command.add("-Dlog4j2.configurationFile=" + layout.log4jConfig());
        command.add("-cp");
        command.add(layout.sparkClasspath());
        command.add("org.apache.spark.deploy.SparkSubmit");
        command.add("--class");
        command.add(app.mainClass());
        if (!submitOptions.contains("--master")) {
            command.add("--master");
            command.add(DEFAULT_MASTER);
        }
        command.addAll(submitOptions);
        // A --conf would override what a --properties-file says, so none is added when one is given.
        if (!setsConf(submitOptions, EXECUTOR_JAVA_OPTIONS) && !submitOptions.contains("--properties-file")) {
            // Executors in JVMs of their own log at WARN as the driver does; on this machine the file is there.
            command.add("--conf");
            command.add(EXECUTOR_JAVA_OPTIONS + "=-Dlog4j2.configurationFile=" + layout.log4jConfig().toUri());
        }
        command.add(layout.appJar(app).toString());
        command.addAll(appArgs);
        return command;
    }

    /** Whether {@code --conf key=...} (or {@code -c}, or {@code --conf=key=...}) is among the options. */
    static boolean setsConf(List<String> submitOptions, String key) {
        for (int i = 0; i < submitOptions.size(); i++) {
            String option = submitOptions.get(i);
            boolean conf = (option.equals("--conf") || option.equals("-c")) && i + 1 < submitOptions.size()
                    && submitOptions.get(i + 1).startsWith(key + "=");
            if (conf || option.startsWith("--conf=" + key + "=")) {
                return true;
            }
        }
        return false;
    }

    private SparkSubmit() {
    }
}
