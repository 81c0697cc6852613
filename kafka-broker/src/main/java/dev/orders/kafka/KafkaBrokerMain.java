package dev.orders.kafka;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A single-node Apache Kafka broker in KRaft mode (broker and controller in one process) on loopback.
 * Runs in a JVM of its own (see {@link KafkaBrokerProcess}); prints {@value #READY} and the bootstrap
 * address once it accepts clients and its topics exist.
 *
 * <pre>KafkaBrokerMain --data-dir DIR [--port N] [--topics a,b:3] [--sasl-user U --sasl-password P]</pre>
 */
public final class KafkaBrokerMain {
    public static final String READY = "KAFKA BROKER READY";
    private static final String CLUSTER_ID_FILE = "cluster.id";

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path dataDir = Path.of(required(options, "--data-dir")).toAbsolutePath();
        Files.createDirectories(dataDir);
        // A restarted broker takes the ports it had, so that clients find it where it was.
        Properties ports = loadOrCreatePorts(dataDir, Integer.parseInt(options.getOrDefault("--port", "0")));
        int port = Integer.parseInt(ports.getProperty("client"));
        int internalPort = Integer.parseInt(ports.getProperty("internal"));
        int controllerPort = Integer.parseInt(ports.getProperty("controller"));
        String saslUser = options.get("--sasl-user");
        String saslPassword = options.get("--sasl-password");

        Properties config = new Properties();
        config.put("process.roles", "broker,controller");
        config.put("node.id", "1");
        config.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        config.put("controller.listener.names", "CONTROLLER");
        config.put("inter.broker.listener.name", "INTERNAL");
        String clientProtocol = saslUser == null ? "PLAINTEXT" : "SASL_PLAINTEXT";
        config.put("listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort
                + ",CONTROLLER://127.0.0.1:" + controllerPort);
        config.put("advertised.listeners", "CLIENT://127.0.0.1:" + port + ",INTERNAL://127.0.0.1:" + internalPort);
        config.put("listener.security.protocol.map",
                "CLIENT:" + clientProtocol + ",INTERNAL:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (saslUser != null) {
            config.put("sasl.enabled.mechanisms", "PLAIN");
            config.put("listener.name.client.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required user_" + saslUser
                            + "=\"" + required(options, "--sasl-password") + "\";");
        }
        config.put("log.dirs", dataDir.resolve("logs").toString());
        config.put("num.partitions", "1");
        config.put("offsets.topic.replication.factor", "1");
        config.put("transaction.state.log.replication.factor", "1");
        config.put("transaction.state.log.min.isr", "1");
        config.put("group.initial.rebalance.delay.ms", "0");
        config.put("auto.create.topics.enable", "true");
        config.put("log.flush.interval.messages", "1"); // a killed broker loses nothing a test wrote
        Path configFile = dataDir.resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(configFile)) {
            config.store(out, "written by " + KafkaBrokerMain.class.getName());
        }

        Path clusterIdFile = dataDir.resolve(CLUSTER_ID_FILE);
        if (!Files.exists(clusterIdFile)) {
            // Kafka's own ids never start with '-', which the storage tool would read as an option.
            String clusterId = Uuid.randomUuid().toString();
            int formatted = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", configFile.toString(),
                "--ignore-formatted"}, new PrintStream(OutputStream.nullOutputStream()));
            if (formatted != 0) {
                throw new IllegalStateException("formatting the broker storage in " + dataDir + " failed");
            }
            Files.writeString(clusterIdFile, clusterId);
        }

        List<NewTopic> topics = topics(options.getOrDefault("--topics", ""));
        String bootstrap = "127.0.0.1:" + port;
        String internal = "127.0.0.1:" + internalPort;
        Thread announce = new Thread(() -> announceWhenReady(internal, bootstrap, topics), "broker-ready");
        announce.setDaemon(true);
        announce.start();
        kafka.Kafka.main(new String[] {configFile.toString()}); // returns when the broker shuts down
    }

    private static void announceWhenReady(String internal, String bootstrap, List<NewTopic> topics) {
        Properties adminConfig = new Properties();
        adminConfig.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internal);
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(adminConfig)) {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                Set<String> wanted = new java.util.TreeSet<>();
                for (NewTopic topic : topics) {
                    wanted.add(topic.name());
                    try {
                        admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw e;
                        }
                    }
                }
                Set<String> names = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                if (!names.containsAll(wanted)) {
                    throw new IllegalStateException("topics not visible yet");
                }
                System.out.println(READY + " bootstrap=" + bootstrap + " topics=" + new java.util.TreeSet<>(names));
                System.out.flush();
                return;
            } catch (Exception notYet) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        System.err.println("the broker did not accept clients within 2 minutes");
        System.exit(1);
    }

    /** {@code a,b:3} is topic a with 1 partition and topic b with 3. */
    static List<NewTopic> topics(String spec) {
        List<NewTopic> topics = new ArrayList<>();
        for (String entry : spec.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            int partitions = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            topics.add(new NewTopic(parts[0], partitions, (short) 1));
        }
        return topics;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            options.put(args[i], args[++i]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static Properties loadOrCreatePorts(Path dataDir, int requestedClientPort) throws IOException {
        Path file = dataDir.resolve("ports.properties");
        Properties ports = new Properties();
        if (Files.exists(file)) {
            try (var in = Files.newInputStream(file)) {
                ports.load(in);
            }
        } else {
            ports.setProperty("internal", String.valueOf(freePort()));
            ports.setProperty("controller", String.valueOf(freePort()));
            ports.setProperty("client", String.valueOf(freePort()));
        }
        if (requestedClientPort != 0) {
            ports.setProperty("client", String.valueOf(requestedClientPort));
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            ports.store(out, "ports of the broker in this folder");
        }
        return ports;
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private KafkaBrokerMain() {
    }
}
