package dev.orders.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.orders.common.cli.CommandLine;
import dev.orders.common.cli.OptionSpec;
import dev.orders.common.options.CommonOptions;
import dev.orders.common.options.ConsumerOptions;
import dev.orders.common.options.ProducerOptions;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * docker-compose.yml, producer/Dockerfile and consumer/Dockerfile, read against the code they run: the
 * environment the services set is the apps' options and parses to the intended values, the images run
 * the classes and jars this build makes, and every start waits on a condition. No Docker needed; the
 * compose schema itself is checked by .ci/check-compose.
 */
class DockerComposeFileTest {
    private static final Path PROJECT = projectDir();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String KAFKA_IMAGE = "apache/kafka:3.9.1";
    private static final String INTERNAL_BOOTSTRAP = "kafka:29092";
    private static final String HOST_BOOTSTRAP = "localhost:9092";
    private static final Set<String> WAIT_CONDITIONS = Set.of("service_healthy", "service_completed_successfully");
    /** The spark-submit options the entrypoints may use, each followed by its value. */
    private static final Set<String> SPARK_SUBMIT_OPTIONS = Set.of(
            "--class", "--master", "--name", "--conf", "--driver-java-options", "--driver-memory");
    /** What spark-submit's launcher reads from the environment (not the app): the driver's -Xmx, its JVM options. */
    private static final Set<String> LAUNCHER_ENVIRONMENT = Set.of("SPARK_DRIVER_MEMORY", "SPARK_SUBMIT_OPTS");
    /** The Docker VM the whole stack must fit (Docker Desktop, colima...: a laptop). */
    private static final long DOCKER_VM_BYTES = 4L << 30;
    /** What a JVM needs besides its heap (metaspace, code cache, thread stacks, direct buffers), at least. */
    private static final long NON_HEAP_BYTES = 256L << 20;
    private static final String SPARK_UI_PORT = "4040";
    private static final String METRICS_PATH = "/metrics/prometheus";
    private static final Map<String, String> SCRAPE_JOBS = Map.of("orders-producer", "producer",
            "orders-consumer", "consumer");

    private static JsonNode compose;
    private static Document rootPom;

    @BeforeAll
    static void read() throws Exception {
        Path file = PROJECT.resolve("docker-compose.yml");
        assertTrue(Files.isRegularFile(file), "no docker-compose.yml in " + PROJECT);
        compose = YAML.readTree(file.toFile());
        assertNotNull(compose, "docker-compose.yml is empty");
        rootPom = xml(PROJECT.resolve("pom.xml"));
    }

    // ---- the apps' environment ----

    @Test
    void producerIsConfiguredByItsOwnEnvironmentVariables() {
        Map<String, String> env = appEnvironment("producer");
        assertDeclaredEnvironment(ProducerOptions.commandLine(), env, "producer");
        List<String> args = command("producer");
        assertDeclaredOptions(ProducerOptions.commandLine(), args, "producer command");

        ProducerOptions options = ProducerOptions.parse(args.toArray(String[]::new), env);
        assertEquals(INTERNAL_BOOTSTRAP, options.common().bootstrapServers());
        assertEquals(CommonOptions.DEFAULT_TOPIC, options.common().topic());
        assertEquals(Optional.of(CommonOptions.DEFAULT_DEAD_LETTER_TOPIC), options.common().deadLetterTopic());
        assertEquals("/data/orders", options.ordersDir());
        assertEquals("/data/customers/customer.csv", options.customersFile());
        assertEquals(1, options.maxFilesPerTrigger());
        assertEquals("/checkpoints/producer", options.common().checkpointDir());
        assertEquals("10 seconds", options.common().triggerInterval());
        assertEquals("UTC", options.common().timeZone());
        assertFalse(options.common().availableNow(), "a compose service keeps running: no --available-now");

        // The folders it reads are in ./data, mounted read-only; its checkpoint is on its named volume.
        assertEquals(List.of("/data", "ro"), mount("producer", "./data"));
        assertTrue(options.ordersDir().startsWith("/data/") && options.customersFile().startsWith("/data/"));
        // The producer refuses to start without them: they are in the repository's data/.
        assertTrue(Files.isDirectory(PROJECT.resolve("data").resolve(options.ordersDir().substring("/data/".length()))),
                "./data has the orders folder " + options.ordersDir());
        assertTrue(Files.isRegularFile(PROJECT.resolve("data").resolve(
                options.customersFile().substring("/data/".length()))), "./data has " + options.customersFile());
        assertEquals("/checkpoints", mount("producer", "producer-checkpoint").get(0));
        assertTrue(options.common().checkpointDir().startsWith("/checkpoints/"));
    }

    @Test
    void consumerIsConfiguredByItsOwnEnvironmentVariables() {
        Map<String, String> env = appEnvironment("consumer");
        assertDeclaredEnvironment(ConsumerOptions.commandLine(), env, "consumer");
        List<String> args = command("consumer");
        assertDeclaredOptions(ConsumerOptions.commandLine(), args, "consumer command");

        ConsumerOptions options = ConsumerOptions.parse(args.toArray(String[]::new), env);
        assertEquals(INTERNAL_BOOTSTRAP, options.common().bootstrapServers());
        assertEquals(CommonOptions.DEFAULT_TOPIC, options.common().topic());
        assertEquals(Optional.of(CommonOptions.DEFAULT_DEAD_LETTER_TOPIC), options.common().deadLetterTopic());
        assertEquals(ConsumerOptions.Sink.CONSOLE, options.sink());
        assertEquals(Optional.empty(), options.outputDir());
        assertEquals("earliest", options.startingOffsets());
        assertEquals("10 minutes", options.watermark());
        assertEquals("/checkpoints/consumer", options.common().checkpointDir());
        assertEquals("UTC", options.common().timeZone());
        assertFalse(options.common().availableNow(), "a compose service keeps running: no --available-now");

        assertEquals("/checkpoints", mount("consumer", "consumer-checkpoint").get(0));
        assertTrue(options.common().checkpointDir().startsWith("/checkpoints/"));
        assertFalse(hasMount("consumer", "./data"), "the consumer reads Kafka, not ./data");
    }

    @Test
    void theAppsMeetOnTheInternalListenerAndTheTopicsCreateTopicsMakes() {
        ProducerOptions producer = ProducerOptions.parse(command("producer").toArray(String[]::new),
                appEnvironment("producer"));
        ConsumerOptions consumer = ConsumerOptions.parse(command("consumer").toArray(String[]::new),
                appEnvironment("consumer"));

        // Both apps connect to the listener Kafka advertises to the other containers, under its service name.
        Map<String, String> advertised = listeners(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS"));
        String internal = advertised.get(environment("kafka").get("KAFKA_INTER_BROKER_LISTENER_NAME"));
        assertEquals(INTERNAL_BOOTSTRAP, internal, "the internal advertised listener");
        assertTrue(internal.startsWith("kafka:") && compose.path("services").has("kafka"),
                "the compose service name kafka");
        assertEquals(internal, producer.common().bootstrapServers());
        assertEquals(internal, consumer.common().bootstrapServers());

        assertEquals(producer.common().topic(), consumer.common().topic(),
                "the consumer reads what the producer writes");
        assertEquals(producer.common().deadLetterTopic(), consumer.common().deadLetterTopic());
        Set<String> expected = new LinkedHashSet<>();
        expected.add(producer.common().topic());
        producer.common().deadLetterTopic().ifPresent(expected::add);
        consumer.common().deadLetterTopic().ifPresent(expected::add);
        assertEquals(expected, Set.copyOf(createdTopics()));
    }

    // ---- Kafka and its topics ----

    @Test
    void kafkaIsOneKraftNodeWithAnInternalAndAHostListenerAndAHealthcheck() {
        JsonNode kafka = service("kafka");
        assertEquals(KAFKA_IMAGE, text(kafka, "image"));
        Map<String, String> env = environment("kafka");
        assertEquals("broker,controller", env.get("KAFKA_PROCESS_ROLES"));
        assertEquals(env.get("KAFKA_NODE_ID") + "@kafka:9093", env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"));
        // kafka-storage.sh format takes only a base64 UUID (as kafka-storage.sh random-uuid prints).
        assertEquals(env.get("CLUSTER_ID"), Uuid.fromString(env.get("CLUSTER_ID")).toString());

        Map<String, String> listeners = listeners(env.get("KAFKA_LISTENERS"));
        Map<String, String> advertised = listeners(env.get("KAFKA_ADVERTISED_LISTENERS"));
        String controller = env.get("KAFKA_CONTROLLER_LISTENER_NAMES");
        assertTrue(listeners.containsKey(controller),
                "the controller listener " + controller + " is in KAFKA_LISTENERS");
        assertFalse(advertised.containsKey(controller), "the controller listener is not advertised");
        assertEquals(Set.of(INTERNAL_BOOTSTRAP, HOST_BOOTSTRAP), Set.copyOf(advertised.values()));
        Map<String, String> protocols = listeners(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"));
        for (String name : listeners.keySet()) {
            assertTrue(protocols.containsKey(name), name + " has a security protocol");
        }
        for (Map.Entry<String, String> listener : advertised.entrySet()) {
            // Each advertised listener is a listener the broker binds, on the same port.
            String bound = listeners.get(listener.getKey());
            assertNotNull(bound, listener.getKey() + " is advertised but not in KAFKA_LISTENERS");
            assertEquals(port(listener.getValue()), port(bound), listener.getKey());
        }
        String hostListener = advertised.entrySet().stream()
                .filter(entry -> entry.getValue().equals(HOST_BOOTSTRAP)).findFirst().orElseThrow().getKey();
        assertEquals(List.of("9092:9092"), texts(kafka.get("ports")),
                "the host listener is published as localhost:9092");
        assertEquals("9092", port(listeners.get(hostListener)));

        // The log is kept on a named volume, as the checkpoints that point into it are.
        assertEquals(env.get("KAFKA_LOG_DIRS"), mount("kafka", "kafka-data").get(0));
        assertTrue(compose.path("volumes").has("kafka-data"));

        JsonNode healthcheck = kafka.get("healthcheck");
        assertNotNull(healthcheck, "kafka has a healthcheck");
        for (String field : List.of("interval", "timeout", "start_period")) {
            assertTrue(text(healthcheck, field).matches("\\d+(ms|s|m)"), "healthcheck " + field);
        }
        assertTrue(healthcheck.path("retries").isInt() && healthcheck.get("retries").asInt() > 0,
                "healthcheck retries");
    }

    @Test
    void kafkasHealthcheckAsksTheBrokerWithoutStartingAJvm() {
        JsonNode healthcheck = service("kafka").get("healthcheck");
        List<String> test = texts(healthcheck.get("test"));
        // bash is in apache/kafka (its entrypoint /etc/kafka/docker/run is a bash script); no JVM tool.
        assertEquals(List.of("CMD", "bash", "-c"), test.subList(0, 3), "exec form, bash -c SCRIPT");
        assertEquals(4, test.size());
        String script = test.get(3);
        for (String jvm : List.of("/opt/kafka/bin", "kafka-", ".sh", "java")) {
            assertFalse(script.contains(jvm), "the healthcheck starts a JVM: " + jvm + " in " + script);
        }
        // An ApiVersions request (api key 18, version 0, correlation id 1, empty client id) to the
        // internal listener, and the broker's reply read back.
        assertTrue(script.startsWith("exec 3<>/dev/tcp/127.0.0.1/" + port(INTERNAL_BOOTSTRAP) + " && "), script);
        Matcher printf = Pattern.compile("printf '([^']*)' >&3").matcher(script);
        assertTrue(printf.find(), "the request is written to the socket: " + script);
        assertEquals(List.of(0, 0, 0, 10, 0, 18, 0, 0, 0, 0, 0, 1, 0, 0), octalEscapes(printf.group(1)),
                "size 10, ApiVersions v0, correlation id 1, client id \"\"");
        // $$ is compose's escape for a literal $ (the engine runs $(...)).
        assertTrue(script.endsWith("[ \"$$(head -c 4 <&3 | wc -c)\" -eq 4 ]"), "the reply's size is read: " + script);
        // Checked often enough to start the stack promptly, each check bounded well within the interval.
        long interval = seconds(text(healthcheck, "interval"));
        long timeout = seconds(text(healthcheck, "timeout"));
        assertTrue(interval >= 5 && interval <= 30, "interval " + interval + " s");
        assertTrue(timeout < interval, "timeout " + timeout + " s within the interval");
        assertTrue(seconds(text(healthcheck, "start_period")) + interval * healthcheck.get("retries").asInt() >= 60,
                "at least a minute for the broker to start");
    }

    // ---- memory: the stack fits a 4 GB Docker VM ----

    @Test
    void everyJvmHasAFixedHeapBelowItsContainersMemoryLimit() {
        Map<String, String> kafka = environment("kafka");
        List<String> heapOptions = List.of(kafka.get("KAFKA_HEAP_OPTS").split("\\s+"));
        long brokerHeap = jvmOption(heapOptions, "-Xmx");
        assertEquals(brokerHeap, jvmOption(heapOptions, "-Xms"), "the broker's heap is fixed: " + heapOptions);
        assertHeapWithinLimit("kafka", brokerHeap);

        long toolsHeap = jvmOption(List.of(environment("create-topics").get("KAFKA_HEAP_OPTS").split("\\s+")), "-Xmx");
        assertHeapWithinLimit("create-topics", toolsHeap);

        for (String app : List.of("producer", "consumer")) {
            Map<String, String> env = environment(app);
            // The drivers run local[*]: the driver's heap is all of Spark's heap. spark-submit turns
            // SPARK_DRIVER_MEMORY into the driver JVM's -Xmx (client mode); Spark wants at least 450 MB.
            long driverHeap = bytes(env.get("SPARK_DRIVER_MEMORY"));
            assertTrue(driverHeap >= 512L << 20, app + ": a driver heap of at least 512m");
            assertHeapWithinLimit(app, driverHeap);
            String submitOptions = env.get("SPARK_SUBMIT_OPTS");
            assertNotNull(submitOptions, app + " sets SPARK_SUBMIT_OPTS");
            assertFalse(submitOptions.contains("-Xmx"), app + ": the heap comes from SPARK_DRIVER_MEMORY only");
        }
    }

    @Test
    void theWholeStackFitsA4GbDockerVm() {
        Map<String, Long> limits = new LinkedHashMap<>();
        compose.get("services").fields().forEachRemaining(service -> {
            JsonNode limit = service.getValue().get("mem_limit");
            assertNotNull(limit, service.getKey() + " has a mem_limit");
            limits.put(service.getKey(), bytes(limit.asText()));
        });
        // A one-shot service (create-topics) runs only until the services that wait for its success start.
        Set<String> oneShots = new LinkedHashSet<>();
        Map<String, Set<String>> waitingFor = new LinkedHashMap<>();
        for (String name : limits.keySet()) {
            JsonNode dependsOn = service(name).path("depends_on");
            dependsOn.fieldNames().forEachRemaining(dependency -> {
                if ("service_completed_successfully".equals(text(dependsOn.get(dependency), "condition"))) {
                    oneShots.add(dependency);
                    waitingFor.computeIfAbsent(dependency, d -> new LinkedHashSet<>()).add(name);
                }
            });
        }
        long budget = DOCKER_VM_BYTES - (512L << 20); // the rest for the VM itself
        long running = limits.entrySet().stream().filter(e -> !oneShots.contains(e.getKey()))
                .mapToLong(Map.Entry::getValue).sum();
        assertTrue(running <= budget, "the services' mem_limits add up to " + (running >> 20)
                + " MiB, more than 4 GiB less 512 MiB for the VM");
        for (String oneShot : oneShots) {
            long alongside = limits.entrySet().stream().filter(e -> !oneShots.contains(e.getKey())
                    && !waitingFor.get(oneShot).contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
            assertTrue(alongside + limits.get(oneShot) <= budget, oneShot + " and what runs beside it: "
                    + ((alongside + limits.get(oneShot)) >> 20) + " MiB");
        }
    }

    // ---- Prometheus ----

    @Test
    void prometheusScrapesBothAppsOnTheirSparkUiPort() throws IOException {
        JsonNode prometheus = service("prometheus");
        String image = text(prometheus, "image");
        assertTrue(image.matches("prom/prometheus:v\\d+\\.\\d+\\.\\d+"), "the official image, pinned: " + image);
        assertEquals(List.of("9090:9090"), texts(prometheus.get("ports")), "http://localhost:9090");
        List<String> configMount = mount("prometheus", "./monitoring/prometheus.yml");
        assertEquals(List.of("/etc/prometheus/prometheus.yml", "ro"), configMount);
        assertEquals("/etc/prometheus/prometheus.yml", valueAfterEquals(command("prometheus"), "--config.file"),
                "the mounted file is the configuration it reads");
        assertEquals("/prometheus", mount("prometheus", "prometheus-data").get(0));
        assertEquals("/prometheus", valueAfterEquals(command("prometheus"), "--storage.tsdb.path"));

        JsonNode config = YAML.readTree(PROJECT.resolve("monitoring/prometheus.yml").toFile());
        assertTrue(seconds(text(config.get("global"), "scrape_interval")) <= 30, "scraped at least every 30 s");
        Map<String, JsonNode> jobs = new LinkedHashMap<>();
        config.get("scrape_configs").forEach(job -> jobs.put(text(job, "job_name"), job));
        assertEquals(SCRAPE_JOBS.keySet(), jobs.keySet());
        SCRAPE_JOBS.forEach((jobName, app) -> {
            JsonNode job = jobs.get(jobName);
            assertEquals(METRICS_PATH, text(job, "metrics_path"), jobName);
            List<String> targets = new ArrayList<>();
            job.get("static_configs").forEach(group -> targets.addAll(texts(group.get("targets"))));
            assertEquals(List.of(app + ":" + SPARK_UI_PORT), targets, jobName);
            // The app serves its UI (and /metrics/prometheus) on that port, declared to the network.
            assertTrue(texts(service(app).get("expose")).contains(SPARK_UI_PORT), app + " exposes " + SPARK_UI_PORT);
            assertTrue(List.of(environment(app).get("SPARK_SUBMIT_OPTS").split("\\s+"))
                    .contains("-Dspark.ui.port=" + SPARK_UI_PORT), app + ": the Spark UI fixed at " + SPARK_UI_PORT);
        });
    }

    @Test
    void createTopicsRunsOnceWhenTheBrokerIsHealthy() {
        JsonNode createTopics = service("create-topics");
        assertEquals(text(service("kafka"), "image"), text(createTopics, "image"), "the broker's own tools");
        assertEquals("service_healthy", condition("create-topics", "kafka"));
        assertTrue(!createTopics.has("restart") || text(createTopics, "restart").equals("no"), "a one-shot service");
        List<List<String>> creates = topicCommands();
        assertEquals(2, creates.size(), "two kafka-topics.sh --create");
        for (List<String> create : creates) {
            assertTrue(create.contains("--if-not-exists"), "idempotent: " + create);
            assertEquals(INTERNAL_BOOTSTRAP, valueAfter(create, "--bootstrap-server"));
            assertEquals("1", valueAfter(create, "--replication-factor"), "a single broker");
            assertTrue(Integer.parseInt(valueAfter(create, "--partitions")) > 0);
        }
        assertEquals(List.of(CommonOptions.DEFAULT_TOPIC, CommonOptions.DEFAULT_DEAD_LETTER_TOPIC), createdTopics());
        assertEquals("false", environment("kafka").get("KAFKA_AUTO_CREATE_TOPICS_ENABLE"),
                "topics come only from create-topics");
    }

    // ---- start order ----

    @Test
    void everyStartWaitsOnAConditionAndNothingSleeps() throws IOException {
        assertEquals("service_completed_successfully", condition("producer", "create-topics"));
        assertEquals("service_completed_successfully", condition("consumer", "create-topics"));
        compose.get("services").fields().forEachRemaining(entry -> {
            JsonNode dependsOn = entry.getValue().get("depends_on");
            if (dependsOn == null) {
                return;
            }
            assertTrue(dependsOn.isObject(), entry.getKey() + ": depends_on with conditions, not a list");
            dependsOn.fields().forEachRemaining(dependency -> {
                String condition = text(dependency.getValue(), "condition");
                assertTrue(WAIT_CONDITIONS.contains(condition), entry.getKey() + " -> " + dependency.getKey()
                        + ": " + condition);
                JsonNode target = service(dependency.getKey());
                if (condition.equals("service_healthy")) {
                    assertTrue(target.has("healthcheck"), dependency.getKey() + " has a healthcheck to wait on");
                }
            });
        });
        Pattern sleep = Pattern.compile("\\bsleep\\b", Pattern.CASE_INSENSITIVE);
        for (String file : List.of("docker-compose.yml", "producer/Dockerfile", "consumer/Dockerfile")) {
            Matcher matcher = sleep.matcher(Files.readString(PROJECT.resolve(file)));
            assertFalse(matcher.find(), file + " waits by sleeping");
        }
    }

    // ---- the images ----

    @ParameterizedTest
    @ValueSource(strings = {"producer", "consumer"})
    void theImageBuildsTheAppFromSourceAndSubmitsIt(String app) throws Exception {
        JsonNode build = service(app).get("build");
        assertNotNull(build, app + " is built");
        assertEquals(".", text(build, "context"), "the repository root, where every module's pom is");
        assertEquals(app + "/Dockerfile", text(build, "dockerfile"));
        assertFalse(service(app).has("entrypoint"), "the image's spark-submit entrypoint is kept");
        assertFalse(service(app).has("image"), app + " is built here, not pulled");

        Document appPom = xml(PROJECT.resolve(app).resolve("pom.xml"));
        String artifactId = childText(appPom.getDocumentElement(), "artifactId");
        List<Instruction> dockerfile = Instruction.parse(Files.readString(PROJECT.resolve(app).resolve("Dockerfile")));

        // Two stages: Maven on Java 17 builds, the Spark of the pom (and its Scala) on Java 17 runs.
        List<Instruction> froms = dockerfile.stream().filter(i -> i.is("FROM")).toList();
        assertEquals(2, froms.size(), "two stages");
        assertEquals(List.of("maven:3.9-eclipse-temurin-17", "AS", "build"), froms.get(0).words());
        assertEquals("17", property(rootPom, "maven.compiler.release"));
        assertEquals(List.of("apache/spark:" + property(rootPom, "spark.version") + "-scala"
                + property(rootPom, "scala.binary.version") + "-java17-ubuntu"), froms.get(1).words());
        int runStage = dockerfile.indexOf(froms.get(1));
        List<Instruction> buildStage = dockerfile.subList(0, runStage);
        List<Instruction> runImage = dockerfile.subList(runStage, dockerfile.size());

        // Stage 1: every module's pom (the reactor reads them all), the sources of what -am builds.
        String workdir = buildStage.stream().filter(i -> i.is("WORKDIR")).reduce((a, b) -> b).orElseThrow().args;
        List<Instruction> contextCopies = buildStage.stream().filter(i -> i.is("COPY")).toList();
        Set<String> copied = new LinkedHashSet<>();
        for (Instruction copy : contextCopies) {
            List<String> words = copy.words();
            assertFalse(words.get(0).startsWith("--"), "stage 1 copies from the build context: " + copy.args);
            String destination = relative(words.get(words.size() - 1));
            for (String source : words.subList(0, words.size() - 1)) {
                String path = relative(source);
                assertTrue(Files.exists(PROJECT.resolve(path)), copy.args + ": no " + path + " in the repository");
                assertFalse(dockerIgnored(path), path + " is left out of the build context by .dockerignore");
                // The repository's layout under WORKDIR: a folder's content goes to the same folder,
                // a file into the same folder.
                Path parent = Path.of(path).getParent();
                String folder = Files.isDirectory(PROJECT.resolve(path)) ? path
                        : parent == null ? "." : parent.toString();
                assertTrue(destination.equals(folder) || destination.equals(path), copy.args + ": " + path
                        + " belongs in " + workdir + "/" + folder);
                copied.add(path);
            }
        }
        assertTrue(copied.contains("pom.xml"));
        for (String module : modules()) {
            assertTrue(copied.contains(module + "/pom.xml"), "stage 1 copies " + module + "/pom.xml");
        }
        for (String module : modulesBuiltWith(app)) {
            assertTrue(copied.contains(module + "/src"), "stage 1 copies " + module + "/src");
        }
        List<Instruction> runs = buildStage.stream().filter(i -> i.is("RUN")).toList();
        assertEquals(List.of("mvn -B -q -pl " + app + " -am package -DskipTests"),
                runs.stream().map(run -> run.args).toList());

        // The jar is the shaded one this build makes: <artifactId>-<version>.jar, in the module's target.
        assertEquals("${project.artifactId}-${project.version}", shadeFinalName(appPom));
        assertEquals("orders-" + app, artifactId);
        String jarName = artifactId + "-" + projectVersion() + ".jar";
        List<Instruction> fromBuild = runImage.stream().filter(i -> i.is("COPY") && i.args.startsWith("--from="))
                .toList();
        assertEquals(1, fromBuild.size(), "one file from the build stage");
        List<String> jarCopy = fromBuild.get(0).words();
        assertEquals(List.of("--from=build", workdir + "/" + app + "/target/" + jarName), jarCopy.subList(0, 2));
        String jar = jarCopy.get(2);

        // The log configuration is the repository's.
        Map<String, String> runCopies = new LinkedHashMap<>();
        runImage.stream().filter(i -> i.is("COPY") && !i.args.startsWith("--")).forEach(copy -> {
            List<String> words = copy.words();
            assertEquals(2, words.size(), copy.args);
            assertTrue(Files.exists(PROJECT.resolve(words.get(0))), copy.args);
            assertFalse(dockerIgnored(words.get(0)), words.get(0) + " is left out by .dockerignore");
            runCopies.put(words.get(0), words.get(1));
        });
        String log4j = runCopies.get("conf/log4j2.properties");
        assertNotNull(log4j, "the image has conf/log4j2.properties");

        // ENTRYPOINT: spark-submit of the app's main class and jar; what follows the jar is app options.
        List<Instruction> entrypoints = runImage.stream().filter(i -> i.is("ENTRYPOINT")).toList();
        assertEquals(1, entrypoints.size());
        List<String> entrypoint = Arrays.asList(JSON.readValue(entrypoints.get(0).args, String[].class));
        assertEquals("/opt/spark/bin/spark-submit", entrypoint.get(0), "exec form, so `command:` args are appended");
        Map<String, String> submit = new LinkedHashMap<>();
        int i = 1;
        while (entrypoint.get(i).startsWith("--")) {
            String option = entrypoint.get(i);
            assertTrue(SPARK_SUBMIT_OPTIONS.contains(option), "spark-submit option " + option);
            assertFalse(submit.containsKey(option) && !option.equals("--conf"), option + " twice");
            submit.put(option, entrypoint.get(i + 1));
            i += 2;
        }
        assertEquals(jar, entrypoint.get(i), "spark-submit runs the jar the image copied");
        assertTrue(jar.startsWith("/opt/orders/"));
        assertDeclaredOptions(commandLine(app), entrypoint.subList(i + 1, entrypoint.size()), app + " ENTRYPOINT");
        assertEquals("local[*]", submit.get("--master"));
        assertEquals("-Dlog4j2.configurationFile=file:" + log4j, submit.get("--driver-java-options"));

        String mainClass = submit.get("--class");
        assertEquals(property(appPom, "main.class"), mainClass, "the main class of the jar's manifest");
        Class<?> main = Class.forName(mainClass, false, getClass().getClassLoader());
        Method mainMethod = main.getMethod("main", String[].class);
        assertTrue(Modifier.isStatic(mainMethod.getModifiers()), mainClass + ".main is static");

        // It runs as the image's spark user, who owns the folder the checkpoint volume is mounted on.
        String user = runImage.stream().filter(ins -> ins.is("USER")).reduce((a, b) -> b).orElseThrow().args;
        assertTrue(user.equals("spark") || user.equals("185"), "runs as spark, not " + user);
        String checkpointMount = mount(app, app + "-checkpoint").get(0);
        assertTrue(runImage.stream().filter(ins -> ins.is("RUN")).anyMatch(run ->
                        run.words().contains("mkdir") && run.words().contains(checkpointMount)
                                && Pattern.compile("chown (-R )?(spark|185)(:(spark|185))? ([^&;]* )?"
                                        + Pattern.quote(checkpointMount) + "(\\s|$)").matcher(run.args).find()),
                "the image makes " + checkpointMount + " and gives it to spark");
    }

    @Test
    void dockerignoreKeepsBuildOutputAndGitOutOfTheContext() {
        assertTrue(Files.isRegularFile(PROJECT.resolve(".dockerignore")));
        for (String path : List.of("producer/target/orders-producer.jar", "common/target/classes/A.class",
                "target/x", ".git/HEAD", "work/run/x", "data/orders/order_1.csv")) {
            assertTrue(dockerIgnored(path), path + " is in the build context");
        }
        for (String path : List.of("pom.xml", "common/src/main/java/dev/orders/common/Columns.java",
                "conf/log4j2.properties", "producer/Dockerfile")) {
            assertFalse(dockerIgnored(path), path + " is left out of the build context");
        }
    }

    // ---- compose helpers ----

    private static JsonNode service(String name) {
        JsonNode service = compose.path("services").get(name);
        assertNotNull(service, "docker-compose.yml has no service " + name);
        return service;
    }

    /** The service's environment, as the app sees it: literal strings, no interpolation. */
    private static Map<String, String> environment(String name) {
        JsonNode environment = service(name).get("environment");
        assertNotNull(environment, name + " has no environment");
        Map<String, String> env = new LinkedHashMap<>();
        if (environment.isObject()) {
            environment.fields().forEachRemaining(entry -> {
                assertTrue(entry.getValue().isTextual(), name + ": quote " + entry.getKey()
                        + " (compose wants strings; YAML would read a number or a boolean)");
                env.put(entry.getKey(), entry.getValue().asText());
            });
        } else {
            for (String line : texts(environment)) {
                assertTrue(line.contains("="), name + ": " + line + " would be taken from the host's environment");
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        env.forEach((key, value) -> assertFalse(value.contains("$"),
                name + ": " + key + " is interpolated by compose, so the app would not see '" + value + "'"));
        return env;
    }

    /** The service's environment less what spark-submit's launcher reads: what the app itself sees as options. */
    private static Map<String, String> appEnvironment(String name) {
        Map<String, String> env = new LinkedHashMap<>(environment(name));
        env.keySet().removeAll(LAUNCHER_ENVIRONMENT);
        return env;
    }

    private static List<String> command(String name) {
        JsonNode command = service(name).get("command");
        if (command == null) {
            return List.of();
        }
        return command.isTextual() ? List.of(command.asText().trim().split("\\s+")) : texts(command);
    }

    private static String condition(String service, String dependency) {
        JsonNode dependsOn = service(service).path("depends_on");
        assertTrue(dependsOn.isObject() && dependsOn.has(dependency), service + " depends on " + dependency);
        return text(dependsOn.get(dependency), "condition");
    }

    private static boolean hasMount(String service, String source) {
        return texts(service(service).path("volumes")).stream().anyMatch(v -> v.startsWith(source + ":"));
    }

    /** The target and the options of the service's short-syntax volume whose source is {@code source}. */
    private static List<String> mount(String service, String source) {
        List<String> mounts = texts(service(service).path("volumes")).stream()
                .filter(v -> v.startsWith(source + ":")).toList();
        assertEquals(1, mounts.size(), service + " mounts " + source + " once");
        List<String> parts = List.of(mounts.get(0).substring(source.length() + 1).split(":"));
        if (!source.startsWith(".") && !source.startsWith("/")) {
            assertTrue(compose.path("volumes").has(source), source + " is a named volume declared in volumes:");
        }
        return parts;
    }

    /** NAME://HOST:PORT,... (or NAME:VALUE,...) as NAME -> HOST:PORT. */
    private static Map<String, String> listeners(String list) {
        assertNotNull(list);
        Map<String, String> listeners = new LinkedHashMap<>();
        for (String listener : list.split(",")) {
            String[] parts = listener.trim().split(":(//)?", 2);
            assertEquals(2, parts.length, listener);
            assertFalse(listeners.containsKey(parts[0]), parts[0] + " twice");
            listeners.put(parts[0], parts[1]);
        }
        return listeners;
    }

    private static String port(String hostAndPort) {
        return hostAndPort.substring(hostAndPort.lastIndexOf(':') + 1);
    }

    /** The kafka-topics.sh --create lines of create-topics, as words. */
    private static List<List<String>> topicCommands() {
        List<String> command = command("create-topics");
        assertEquals(List.of("/bin/sh", "-c"), command.subList(0, 2));
        assertEquals(3, command.size());
        List<String> script = command.get(2).lines().map(String::trim).filter(line -> !line.isEmpty()).toList();
        assertEquals("set -e", script.get(0), "create-topics fails when a command fails");
        List<List<String>> creates = new ArrayList<>();
        for (String line : script) {
            List<String> words = List.of(line.split("\\s+"));
            if (words.contains("--create")) {
                assertEquals("/opt/kafka/bin/kafka-topics.sh", words.get(0));
                creates.add(words);
            }
        }
        return creates;
    }

    private static List<String> createdTopics() {
        return topicCommands().stream().map(words -> valueAfter(words, "--topic")).toList();
    }

    /** The value of {@code --option=value} in {@code words}. */
    private static String valueAfterEquals(List<String> words, String option) {
        List<String> values = words.stream().filter(w -> w.startsWith(option + "="))
                .map(w -> w.substring(option.length() + 1)).toList();
        assertEquals(1, values.size(), option + " once in " + words);
        return values.get(0);
    }

    /** A size as compose and the JVM write it: 512m, 1g, 1152m, 768M, in bytes. */
    private static long bytes(String size) {
        assertNotNull(size, "a size");
        Matcher matcher = Pattern.compile("(\\d+)([bkmg]?)", Pattern.CASE_INSENSITIVE).matcher(size.trim());
        assertTrue(matcher.matches(), "a size like 512m: " + size);
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> value << 10;
            case "m" -> value << 20;
            case "g" -> value << 30;
            default -> value;
        };
    }

    /** The size given by the JVM option {@code -Xmx} or {@code -Xms}, given once. */
    private static long jvmOption(List<String> options, String option) {
        List<String> values = options.stream().filter(o -> o.startsWith(option)).toList();
        assertEquals(1, values.size(), option + " once in " + options);
        return bytes(values.get(0).substring(option.length()));
    }

    private static void assertHeapWithinLimit(String service, long heap) {
        JsonNode limit = service(service).get("mem_limit");
        assertNotNull(limit, service + " has a mem_limit");
        assertTrue(bytes(limit.asText()) >= heap + NON_HEAP_BYTES, service + ": mem_limit " + limit.asText()
                + " leaves less than " + (NON_HEAP_BYTES >> 20) + " MiB beside a heap of " + (heap >> 20) + " MiB");
    }

    /** A compose or Prometheus duration in whole seconds: 5s, 1m, 500ms (0). */
    private static long seconds(String duration) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m)").matcher(duration);
        assertTrue(matcher.matches(), "a duration like 10s: " + duration);
        long value = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> value / 1000;
            case "m" -> value * 60;
            default -> value;
        };
    }

    /** The bytes a printf format of octal escapes (\0, \12, ...) writes. */
    private static List<Integer> octalEscapes(String format) {
        assertTrue(format.matches("(\\\\[0-7]{1,3})+"), "only octal escapes: " + format);
        List<Integer> bytes = new ArrayList<>();
        for (String escape : format.substring(1).split("\\\\")) {
            bytes.add(Integer.parseInt(escape, 8));
        }
        return bytes;
    }

    private static String valueAfter(List<String> words, String option) {
        int at = words.indexOf(option);
        assertTrue(at >= 0 && at + 1 < words.size(), option + " in " + words);
        return words.get(at + 1);
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        assertNotNull(value, "no " + field + " in " + node);
        assertTrue(value.isValueNode(), field + " is a value");
        return value.asText();
    }

    private static List<String> texts(JsonNode array) {
        if (array == null || array.isMissingNode()) {
            return List.of();
        }
        assertTrue(array.isArray(), "a list: " + array);
        List<String> texts = new ArrayList<>();
        array.forEach(item -> {
            assertTrue(item.isValueNode(), "a value: " + item);
            texts.add(item.asText());
        });
        return texts;
    }

    /** A path in the build context or under WORKDIR, without ./ and trailing slashes ("." for the top). */
    private static String relative(String path) {
        String relative = path.replaceFirst("^(\\./)+", "").replaceFirst("/+$", "");
        return relative.isEmpty() ? "." : relative;
    }

    // ---- the apps' options ----

    private static CommandLine commandLine(String app) {
        return switch (app) {
            case "producer" -> ProducerOptions.commandLine();
            case "consumer" -> ConsumerOptions.commandLine();
            default -> throw new IllegalArgumentException(app);
        };
    }

    private static void assertDeclaredEnvironment(CommandLine commandLine, Map<String, String> env, String what) {
        Set<String> declared = commandLine.options().stream().map(OptionSpec::env).filter(Objects::nonNull)
                .collect(Collectors.toSet());
        for (String name : env.keySet()) {
            assertTrue(declared.contains(name), what + " sets " + name + ", which no option of "
                    + commandLine.program() + " reads");
        }
    }

    private static void assertDeclaredOptions(CommandLine commandLine, List<String> args, String what) {
        Set<String> declared = commandLine.options().stream().map(OptionSpec::name).collect(Collectors.toSet());
        for (String arg : args) {
            if (arg.startsWith("--")) {
                String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
                assertTrue(declared.contains(name), what + ": " + name + " is not an option of "
                        + commandLine.program());
            }
        }
    }

    // ---- .dockerignore ----

    /** Whether .dockerignore leaves {@code path} (relative to the context) out: the last matching line wins. */
    private static boolean dockerIgnored(String path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(PROJECT.resolve(".dockerignore"));
        } catch (IOException e) {
            return false;
        }
        boolean ignored = false;
        for (String raw : lines) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean negated = line.startsWith("!");
            String pattern = (negated ? line.substring(1) : line).replaceAll("^/+|/+$", "");
            Pattern regex = Pattern.compile(globToRegex(pattern));
            // A pattern that matches a folder leaves out everything in it.
            String candidate = path;
            boolean matches = false;
            while (true) {
                if (regex.matcher(candidate).matches()) {
                    matches = true;
                    break;
                }
                int slash = candidate.lastIndexOf('/');
                if (slash < 0) {
                    break;
                }
                candidate = candidate.substring(0, slash);
            }
            if (matches) {
                ignored = !negated;
            }
        }
        return ignored;
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (glob.startsWith("**/", i)) {
                regex.append("(.*/)?");
                i += 2;
            } else if (glob.startsWith("**", i)) {
                regex.append(".*");
                i += 1;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    // ---- the poms ----

    private static Path projectDir() {
        String property = System.getProperty("orders.project.dir");
        List<Path> candidates = new ArrayList<>();
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        }
        candidates.add(Path.of("..")); // the module folder, where Surefire runs
        for (Path candidate : candidates) {
            Path dir = candidate.toAbsolutePath().normalize();
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("integration-tests"))) {
                return dir;
            }
        }
        throw new IllegalStateException("cannot find the repository root from " + candidates);
    }

    private static String projectVersion() {
        String property = System.getProperty("orders.project.version");
        if (property != null && !property.isBlank()) {
            return property;
        }
        return childText(rootPom.getDocumentElement(), "version");
    }

    private static List<String> modules() {
        Element modules = child(rootPom.getDocumentElement(), "modules");
        assertNotNull(modules, "the root pom lists its modules");
        List<String> names = new ArrayList<>();
        for (Node node = modules.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals("module")) {
                names.add(element.getTextContent().trim());
            }
        }
        return names;
    }

    /** The module and the modules it depends on at run time: what {@code mvn -pl MODULE -am package} builds. */
    private static Set<String> modulesBuiltWith(String module) throws Exception {
        Map<String, String> moduleOfArtifact = new LinkedHashMap<>();
        for (String name : modules()) {
            moduleOfArtifact.put(childText(xml(PROJECT.resolve(name).resolve("pom.xml")).getDocumentElement(),
                    "artifactId"), name);
        }
        Set<String> built = new LinkedHashSet<>();
        List<String> pending = new ArrayList<>(List.of(module));
        while (!pending.isEmpty()) {
            String next = pending.remove(0);
            if (!built.add(next)) {
                continue;
            }
            Element dependencies = child(xml(PROJECT.resolve(next).resolve("pom.xml")).getDocumentElement(),
                    "dependencies");
            if (dependencies == null) {
                continue;
            }
            for (Node node = dependencies.getFirstChild(); node != null; node = node.getNextSibling()) {
                if (node instanceof Element dependency && "dev.orders".equals(childText(dependency, "groupId"))
                        && !"test".equals(childText(dependency, "scope"))) {
                    String dependencyModule = moduleOfArtifact.get(childText(dependency, "artifactId"));
                    assertNotNull(dependencyModule, childText(dependency, "artifactId") + " is a module");
                    pending.add(dependencyModule);
                }
            }
        }
        return built;
    }

    private static String shadeFinalName(Document pom) {
        var plugins = pom.getElementsByTagName("plugin");
        for (int i = 0; i < plugins.getLength(); i++) {
            Element plugin = (Element) plugins.item(i);
            if ("maven-shade-plugin".equals(childText(plugin, "artifactId"))) {
                var finalNames = plugin.getElementsByTagName("finalName");
                assertEquals(1, finalNames.getLength(), "the shade plugin names the jar");
                return finalNames.item(0).getTextContent().trim();
            }
        }
        return fail("no maven-shade-plugin");
    }

    private static String property(Document pom, String name) {
        Element properties = child(pom.getDocumentElement(), "properties");
        String value = properties == null ? null : childText(properties, name);
        assertNotNull(value, "no property " + name);
        return value;
    }

    private static Document xml(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static Element child(Element parent, String name) {
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                return element;
            }
        }
        return null;
    }

    private static String childText(Element parent, String name) {
        Element child = child(parent, name);
        return child == null ? null : child.getTextContent().trim();
    }

    /** One Dockerfile instruction, continuation lines joined and comment lines dropped. */
    record Instruction(String keyword, String args) {
        boolean is(String name) {
            return keyword.equals(name);
        }

        List<String> words() {
            return List.of(args.split("\\s+"));
        }

        static List<Instruction> parse(String dockerfile) {
            List<Instruction> instructions = new ArrayList<>();
            StringBuilder current = new StringBuilder();
            for (String raw : dockerfile.lines().toList()) {
                String line = raw.strip();
                if (line.startsWith("#") || (line.isEmpty() && current.isEmpty())) {
                    continue;
                }
                if (line.endsWith("\\")) {
                    current.append(line, 0, line.length() - 1).append(' ');
                    continue;
                }
                current.append(line);
                String text = current.toString().strip();
                current.setLength(0);
                if (text.isEmpty()) {
                    continue;
                }
                String[] parts = text.split("\\s+", 2);
                instructions.add(new Instruction(parts[0].toUpperCase(Locale.ROOT),
                        parts.length > 1 ? parts[1].strip().replaceAll("\\s+", " ") : ""));
            }
            assertTrue(current.isEmpty(), "the Dockerfile ends inside a continued line");
            return instructions;
        }
    }
}
