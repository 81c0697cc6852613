package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.local.ProjectLayout;
import dev.orders.local.SparkApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What each app's jar must carry for spark-submit on a plain Spark 3.5 distribution, and what it must not. */
class ShadedJarContentsTest {
    private final ProjectLayout layout = new ProjectLayout(Path.of(System.getProperty("orders.project.dir", "..")));

    @ParameterizedTest
    @EnumSource(SparkApp.class)
    void carriesTheKafkaConnectorAndCommonButNotSpark(SparkApp app) throws IOException {
        try (JarFile jar = new JarFile(layout.appJar(app).toFile())) {
            List<String> entries = jar.stream().map(entry -> entry.getName()).toList();

            for (String needed : List.of(
                    app.mainClass().replace('.', '/') + ".class",
                    "dev/orders/common/Schemas.class",
                    "org/apache/spark/sql/kafka010/KafkaSourceProvider.class",
                    "org/apache/spark/kafka010/KafkaTokenUtil.class",
                    "org/apache/kafka/clients/producer/KafkaProducer.class",
                    "org/apache/commons/pool2/impl/GenericKeyedObjectPool.class")) {
                assertTrue(entries.contains(needed), needed + " missing from " + layout.appJar(app));
            }
            for (String prefix : List.of("org/apache/spark/sql/SparkSession", "scala/", "org/apache/hadoop/",
                    "org/slf4j/")) {
                assertEquals(List.of(), entries.stream().filter(e -> e.startsWith(prefix)).limit(3).toList(),
                        "Spark provides " + prefix);
            }
            assertEquals(List.of(), entries.stream()
                    .filter(e -> e.matches("META-INF/[^/]+\\.(SF|DSA|RSA|EC)")).toList(), "signature files");

            String services = new String(jar.getInputStream(
                    jar.getEntry("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister")).readAllBytes(),
                    StandardCharsets.UTF_8);
            assertTrue(services.lines().anyMatch(line -> line.equals("org.apache.spark.sql.kafka010.KafkaSourceProvider")),
                    services);
            assertEquals(app.mainClass(), jar.getManifest().getMainAttributes().getValue("Main-Class"));
        }
    }
}
