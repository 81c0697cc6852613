package dev.orders.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark home made from the Maven jars, as a Spark distribution lays it out for the parts a Worker uses
 * to launch executors: {@code jars/} (links to Spark's jars) and {@code conf/} (the project's log
 * configuration, which executors find first on their classpath).
 */
public record SparkHome(Path path, String scalaVersion) {
    private static final Pattern SPARK_CORE = Pattern.compile("spark-core_(\\d+\\.\\d+)-[^/\\\\]*\\.jar$");

    /** Lays out a Spark home in {@code dir}, which must not exist yet. */
    public static SparkHome layOut(ProjectLayout layout, Path dir) throws IOException {
        String classpath = layout.sparkClasspath();
        String scalaVersion = scalaVersionOf(classpath);
        Path jars = Files.createDirectories(dir.resolve("jars"));
        for (String jar : classpath.split(File.pathSeparator)) {
            Path target = Path.of(jar);
            Files.createSymbolicLink(jars.resolve(target.getFileName()), target);
        }
        Path conf = Files.createDirectories(dir.resolve("conf"));
        Files.copy(layout.log4jConfig(), conf.resolve("log4j2.properties"), StandardCopyOption.COPY_ATTRIBUTES);
        return new SparkHome(dir, scalaVersion);
    }

    /**
     * The Scala version of Spark's jars, from spark-core's name. A Worker's launcher needs it
     * (SPARK_SCALA_VERSION) where a Spark home has no build folders; without it every executor launch
     * fails and the driver gives up after ten with nothing but "LiveListenerBus is stopped".
     */
    static String scalaVersionOf(String classpath) {
        for (String jar : classpath.split(File.pathSeparator)) {
            Matcher matcher = SPARK_CORE.matcher(jar);
            if (matcher.find()) {
                return matcher.group(1);
            }
        }
        throw new IllegalStateException("no spark-core_<scala version> jar in Spark's classpath ("
                + classpath.substring(0, Math.min(200, classpath.length())) + "...): cannot tell the Scala version "
                + "the Workers need (SPARK_SCALA_VERSION) to launch executors; rebuild with 'mvn package -DskipTests'");
    }
}
