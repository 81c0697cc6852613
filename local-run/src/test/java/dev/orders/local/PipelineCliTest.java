package dev.orders.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.cli.UsageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineCliTest {

    @Test
    void everySparkSubmitOptionInFrontGoesToSparkSubmitInBothForms() {
        SubmitArguments split = SubmitArguments.split(
                "--master", "spark://127.0.0.1:7077", "--deploy-mode", "client", "--conf", "spark.ui.port=4050",
                "-c", "spark.eventLog.enabled=false", "--conf=spark.sql.adaptive.enabled=false",
                "--name", "orders", "--jars", "/a.jar,/b.jar", "--packages", "g:a:1", "--exclude-packages", "g:b",
                "--repositories", "https://repo.example", "--files", "/etc/f.conf", "--archives", "/x.zip",
                "--properties-file", "/p.conf", "--driver-memory", "2g", "--driver-java-options", "-Da=b -Dc=d",
                "--driver-library-path", "/lib", "--driver-class-path", "/cp", "--driver-cores", "1",
                "--executor-memory=512m", "--executor-cores", "1", "--total-executor-cores", "2",
                "--num-executors", "2", "--queue", "q", "--principal", "p", "--keytab", "/k", "--proxy-user", "u",
                "--supervise", "--verbose",
                "--bootstrap-servers", "127.0.0.1:9092", "--sink", "json");

        assertEquals(List.of(
                "--master", "spark://127.0.0.1:7077", "--deploy-mode", "client", "--conf", "spark.ui.port=4050",
                "--conf", "spark.eventLog.enabled=false", "--conf", "spark.sql.adaptive.enabled=false",
                "--name", "orders", "--jars", "/a.jar,/b.jar", "--packages", "g:a:1", "--exclude-packages", "g:b",
                "--repositories", "https://repo.example", "--files", "/etc/f.conf", "--archives", "/x.zip",
                "--properties-file", "/p.conf", "--driver-memory", "2g", "--driver-java-options", "-Da=b -Dc=d",
                "--driver-library-path", "/lib", "--driver-class-path", "/cp", "--driver-cores", "1",
                "--executor-memory", "512m", "--executor-cores", "1", "--total-executor-cores", "2",
                "--num-executors", "2", "--queue", "q", "--principal", "p", "--keytab", "/k", "--proxy-user", "u",
                "--supervise", "--verbose"), split.submitOptions());
        assertEquals(List.of("--bootstrap-servers", "127.0.0.1:9092", "--sink", "json"), split.appArgs());
    }

    @Test
    void theAppsOptionsStartAtTheFirstArgumentThatIsNotSparkSubmits() {
        SubmitArguments split = SubmitArguments.split("--master", "local[2]", "--sink", "json",
                "--executor-memory", "1g");

        assertEquals(List.of("--master", "local[2]"), split.submitOptions());
        // After the app's first option, everything is the app's, as spark-submit takes what follows the jar.
        assertEquals(List.of("--sink", "json", "--executor-memory", "1g"), split.appArgs());
        assertEquals(List.of("--help"), SubmitArguments.split("--help").appArgs());
        assertEquals(List.of(), SubmitArguments.split().submitOptions());
    }

    @Test
    void anOptionValueThatLooksLikeAnOptionIsStillItsValue() {
        SubmitArguments split = SubmitArguments.split("--driver-java-options", "--add-opens=x", "--available-now");

        assertEquals(List.of("--driver-java-options", "--add-opens=x"), split.submitOptions());
        assertEquals(List.of("--available-now"), split.appArgs());
    }

    @Test
    void aSparkSubmitOptionWithoutItsValueIsAUsageError() {
        UsageException error = assertThrows(UsageException.class,
                () -> SubmitArguments.split("--conf", "a=b", "--total-executor-cores"));

        assertEquals("spark-submit's --total-executor-cores needs a value", error.getMessage());
    }

    @Test
    void theSubmitCommandHasSparkSubmitsOptionsBeforeTheJarAndTheAppsAfter(@TempDir Path project) throws IOException {
        ProjectLayout layout = builtProject(project);
        List<String> command = PipelineCli.submitCommand(layout, SparkApp.CONSUMER, new String[] {
            "--master=spark://127.0.0.1:7077", "--total-executor-cores", "2", "--sink", "json"});

        String jar = layout.appJar(SparkApp.CONSUMER).toString();
        List<String> afterMain = command.subList(command.indexOf("org.apache.spark.deploy.SparkSubmit") + 1,
                command.size());
        assertEquals(List.of("--class", SparkApp.CONSUMER.mainClass(), "--master", "spark://127.0.0.1:7077",
                "--total-executor-cores", "2", "--conf",
                "spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=" + project.toUri() + "conf/log4j2.properties",
                jar, "--sink", "json"), afterMain);
    }

    @Test
    void theUsersExecutorJavaOptionsAreLeftAsTheyAre(@TempDir Path project) throws IOException {
        ProjectLayout layout = builtProject(project);
        List<String> command = PipelineCli.submitCommand(layout, SparkApp.PRODUCER, new String[] {
            "-c", "spark.executor.extraJavaOptions=-Dx=y", "--available-now"});

        assertEquals(1, command.stream().filter(arg -> arg.startsWith("spark.executor.extraJavaOptions=")).count());
        assertTrue(command.contains("spark.executor.extraJavaOptions=-Dx=y"), command::toString);
        assertEquals(List.of("--master", SparkSubmit.DEFAULT_MASTER), command.subList(
                command.indexOf("--master"), command.indexOf("--master") + 2));

        List<String> withPropertiesFile = PipelineCli.submitCommand(layout, SparkApp.PRODUCER, new String[] {
            "--properties-file", "/etc/spark.conf", "--available-now"});
        assertTrue(withPropertiesFile.stream().noneMatch(arg -> arg.startsWith("spark.executor.extraJavaOptions=")),
                withPropertiesFile::toString);
    }

    /** A checkout with what SparkSubmit.command reads: Spark's classpath file. */
    private static ProjectLayout builtProject(Path root) throws IOException {
        Path classpath = root.resolve("spark-runtime/target/spark.classpath");
        Files.createDirectories(classpath.getParent());
        Files.writeString(classpath, "/m2/spark-core_2.12-3.5.7.jar\n");
        return new ProjectLayout(root);
    }

    @Test
    void sparksScalaVersionComesFromSparkCoresJar() {
        assertEquals("2.12", SparkHome.scalaVersionOf(
                "/m2/org/scala-lang/scala-library/2.12.18/scala-library-2.12.18.jar:"
                        + "/m2/org/apache/spark/spark-core_2.12/3.5.7/spark-core_2.12-3.5.7.jar"));
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> SparkHome.scalaVersionOf("/m2/org/scala-lang/scala-library/2.12.18/scala-library-2.12.18.jar"));
        assertTrue(error.getMessage().contains("SPARK_SCALA_VERSION"), error.getMessage());
    }

    @Test
    void clusterSettingsAreCheckedBeforeAnythingStarts() {
        assertThrows(IllegalArgumentException.class, () -> new LocalSparkCluster.Settings(0, 1, "1g", 7077, 8080));
        assertThrows(IllegalArgumentException.class, () -> new LocalSparkCluster.Settings(2, 1, "1 GB", 7077, 8080));
        assertThrows(IllegalArgumentException.class, () -> new LocalSparkCluster.Settings(2, 1, "1g", 70770, 8080));
    }
}
