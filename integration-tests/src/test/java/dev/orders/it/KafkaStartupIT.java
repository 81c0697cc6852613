package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orders.it.SparkSubmitRunner.Result;
import dev.orders.it.SparkSubmitRunner.Running;
import dev.orders.kafka.KafkaBrokerProcess;
import dev.orders.local.SparkApp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apps' first contact with Kafka, as spark-submit runs them: no broker at the address, a broker that
 * wants SASL/PLAIN credentials, and wrong credentials. A problem stops the app at once with exit code 1
 * and one line that says what is wrong; a password never shows in the output.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class KafkaStartupIT {
    private static final Duration FAIL_FAST = Duration.ofSeconds(90);
    private static final Duration RUN = Duration.ofMinutes(5);
    private static final String USER = "orders";
    private static final String PASSWORD = "s3cret-pw";
    private static final String WRONG_PASSWORD = "n0t-the-pw-4711";

    private final SparkSubmitRunner spark = new SparkSubmitRunner();

    @Test
    void withNoBrokerAtTheAddressBothAppsExitWithOneLineAfterTheKafkaTimeout(@TempDir Path root) throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        folders.writeCustomers("C1,Alice,30,Paris");
        int port = closedPort();
        String bootstrap = "127.0.0.1:" + port;
        List<String> kafka = List.of("--bootstrap-servers", bootstrap, "--kafka-timeout", "10s",
                "--topic", folders.topic, "--dead-letter-topic", folders.deadLetterTopic, "--available-now");

        Running producer = spark.start(SparkApp.PRODUCER, root.resolve("producer.log"), Map.of(), concat(kafka,
                "--orders-dir", folders.orders.toString(), "--customers-file", folders.customers.toString(),
                "--checkpoint-dir", folders.checkpoint("producer").toString()));
        Running consumer = spark.start(SparkApp.CONSUMER, root.resolve("consumer.log"), Map.of(), concat(kafka,
                "--checkpoint-dir", folders.checkpoint("consumer").toString(),
                "--sink", "json", "--output-dir", folders.output.toString()));
        Result producerResult = producer.await(FAIL_FAST);
        Result consumerResult = consumer.await(FAIL_FAST);

        for (Result result : List.of(producerResult, consumerResult)) {
            String program = result.app() == SparkApp.PRODUCER ? "orders-producer" : "orders-consumer";
            assertEquals(1, result.exitCode(), result::tail);
            assertTrue(result.lines().contains(program + ": no Kafka broker answered at " + bootstrap
                    + " within 10 s (TimeoutException)"), result::tail);
        }
        assertFalse(Files.exists(folders.output), "the consumer wrote output");
    }

    @Test
    void withSaslPlainCredentialsBothAppsRunAndWrongOnesStopTheProducerWithoutShowingAPassword(@TempDir Path root)
            throws Exception {
        PipelineFolders folders = new PipelineFolders(root);
        KafkaBrokerProcess broker = KafkaBrokerProcess.start(root.resolve("kafka"),
                KafkaBrokerProcess.Options.defaults().withSaslPlain(USER, PASSWORD));
        List<Result> results = new ArrayList<>();
        try {
            String bootstrap = broker.bootstrapServers();
            TestKafka.createTopics(bootstrap, saslClientProperties(PASSWORD), folders.topic, folders.deadLetterTopic);
            folders.writeCustomers("C1,Alice,30,Paris", "C2,Bob,41,Berlin");
            folders.addOrderFile("order_1.csv",
                    "O1,1,C1,Widget,19.99,2024-05-01 10:00:00,3",
                    "O2,1,C2,Lamp,0.10,2024-05-01 10:01:00,7",
                    "O3,1,C9,Ghost,1.00,2024-05-01 10:02:00,1");

            Result producer = spark.run(SparkApp.PRODUCER, root.resolve("producer.log"), RUN,
                    producerArgs(folders, bootstrap, PASSWORD));
            results.add(producer);
            assertEquals(0, producer.exitCode(), producer::tail);
            Result consumer = spark.run(SparkApp.CONSUMER, root.resolve("consumer.log"), RUN,
                    concat(kafkaArgs(folders, bootstrap, PASSWORD),
                            "--checkpoint-dir", folders.checkpoint("consumer").toString(),
                            "--sink", "json", "--output-dir", folders.output.toString()));
            results.add(consumer);
            assertEquals(0, consumer.exitCode(), consumer::tail);

            assertEquals(List.of(
                    "O1|1|C1|Alice|30|Paris|Widget|19.99|2024-05-01T10:00:00Z|3|59.97",
                    "O2|1|C2|Bob|41|Berlin|Lamp|0.10|2024-05-01T10:01:00Z|7|0.70"),
                    InProcessPipeline.outputOf(folders.output));
            List<String> deadLetters = new ArrayList<>();
            for (var record : TestKafka.readAll(bootstrap, saslClientProperties(PASSWORD), folders.deadLetterTopic)) {
                JsonNode letter = new ObjectMapper().readTree(record.value());
                deadLetters.add(letter.get("stage").asText() + "|" + letter.get("reason").asText() + "|"
                        + letter.get("raw").asText());
            }
            assertEquals(List.of("producer|unknown_customer|O3,1,C9,Ghost,1.00,2024-05-01 10:02:00,1"), deadLetters);

            // The wrong password: refused at once, with one line that names the problem.
            Result refused = spark.start(SparkApp.PRODUCER, root.resolve("producer-wrong-password.log"), Map.of(),
                    producerArgs(folders, bootstrap, WRONG_PASSWORD)).await(FAIL_FAST);
            results.add(refused);
            assertEquals(1, refused.exitCode(), refused::tail);
            String refusal = "orders-producer: Kafka at " + bootstrap + " refused the credentials: ";
            assertTrue(refused.lines().stream().anyMatch(line -> line.startsWith(refusal)), refused::tail);
        } finally {
            broker.close();
        }

        // --help, with the credentials on the command line and in the environment, shows neither password.
        List<String> credentials = List.of(
                "--kafka-option", "sasl.jaas.config=" + jaas(PASSWORD),
                "--kafka-option", "sasl.jaas.config=" + jaas(WRONG_PASSWORD));
        Map<String, String> env = Map.of("KAFKA_OPTIONS", "sasl.jaas.config=" + jaas(PASSWORD) + "\n"
                + "sasl.jaas.config=" + jaas(WRONG_PASSWORD));
        Running producerHelp = spark.start(SparkApp.PRODUCER, root.resolve("producer-help.log"), env,
                concat(credentials, "--help"));
        Running consumerHelp = spark.start(SparkApp.CONSUMER, root.resolve("consumer-help.log"), env,
                concat(credentials, "--help"));
        for (Result help : List.of(producerHelp.await(FAIL_FAST), consumerHelp.await(FAIL_FAST))) {
            assertEquals(0, help.exitCode(), help::tail);
            String program = help.app() == SparkApp.PRODUCER ? "orders-producer" : "orders-consumer";
            assertTrue(help.output().contains("Usage: " + program + " [options]"), help::tail);
            assertTrue(help.output().contains("--kafka-option KEY=VALUE"), help::tail);
            results.add(help);
        }

        assertEquals(5, results.size());
        for (Result result : results) {
            for (String password : List.of(PASSWORD, WRONG_PASSWORD)) {
                assertFalse(result.output().contains(password),
                        () -> result.app() + " printed a password; see " + result.log());
            }
        }
    }

    private static List<String> producerArgs(PipelineFolders folders, String bootstrap, String password) {
        return concat(kafkaArgs(folders, bootstrap, password),
                "--orders-dir", folders.orders.toString(), "--customers-file", folders.customers.toString(),
                "--checkpoint-dir", folders.checkpoint("producer").toString());
    }

    /** The options both apps take to reach the SASL broker, with --available-now. */
    private static List<String> kafkaArgs(PipelineFolders folders, String bootstrap, String password) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-servers", bootstrap, "--topic", folders.topic,
                "--dead-letter-topic", folders.deadLetterTopic, "--available-now"));
        saslClientProperties(password).forEach((key, value) -> {
            args.add("--kafka-option");
            args.add(key + "=" + value);
        });
        return args;
    }

    private static Map<String, Object> saslClientProperties(String password) {
        return Map.of(
                "security.protocol", "SASL_PLAINTEXT",
                "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", jaas(password));
    }

    private static String jaas(String password) {
        return "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + USER
                + "\" password=\"" + password + "\";";
    }

    /** A loopback port nothing listens on (it was free a moment ago). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static List<String> concat(List<String> first, String... more) {
        return Stream.concat(first.stream(), Stream.of(more)).toList();
    }
}
