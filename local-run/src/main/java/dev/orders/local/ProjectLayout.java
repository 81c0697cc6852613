package dev.orders.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/** Where a built checkout keeps what the local launcher runs: the app jars, Spark's jars, the log config. */
public final class ProjectLayout {
    private final Path root;
    private final Properties build;

    public ProjectLayout(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.build = new Properties();
        try (InputStream in = ProjectLayout.class.getResourceAsStream("/orders-local-run.properties")) {
            build.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The checkout bin/pipeline runs from ({@code -Dorders.home}), else the working directory. */
    public static ProjectLayout current() {
        return new ProjectLayout(Path.of(System.getProperty("orders.home", ".")));
    }

    public Path root() {
        return root;
    }

    public String version() {
        return build.getProperty("version");
    }

    public Path appJar(SparkApp app) {
        return root.resolve(app.module()).resolve("target").resolve(app.artifactId() + "-" + version() + ".jar");
    }

    /** Spark's own jars, as a Spark 3.5 distribution has them in jars/. */
    public String sparkClasspath() {
        return read(root.resolve("spark-runtime/target/spark.classpath"));
    }

    /** The JVM flags Spark needs on Java 17 (Spark's JavaModuleOptions). */
    public List<String> sparkJvmOptions() {
        return Arrays.asList(build.getProperty("spark.jvm.options").trim().split("\\s+"));
    }

    public Path log4jConfig() {
        return root.resolve("conf/log4j2.properties");
    }

    public Path data() {
        return root.resolve("data");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("missing " + file + ": build with 'mvn package -DskipTests' first", e);
        }
    }
}
