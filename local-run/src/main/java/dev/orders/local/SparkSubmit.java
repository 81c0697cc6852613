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
        command.add(layout.appJar(app).toString());
        command.addAll(appArgs);
        return command;
    }

    private SparkSubmit() {
    }
}
