package dev.orders.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts {@link KafkaBrokerMain} in a child JVM with the broker's own classpath, and stops it. Uses the
 * JDK only, so it can sit on a classpath with Spark without bringing Kafka's Scala or Jackson along.
 */
public final class KafkaBrokerProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final Process process;
    private final String bootstrapServers;
    private final Path dataDir;
    private final Options options;

    private KafkaBrokerProcess(Process process, String bootstrapServers, Path dataDir, Options options) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.options = options;
    }

    /** How to start a broker. {@code port} 0 takes a free one. */
    public record Options(int port, List<String> topics, String saslUser, String saslPassword) {
        public static Options defaults() {
            return new Options(0, List.of(), null, null);
        }

        public Options withTopics(String... names) {
            return new Options(port, List.of(names), saslUser, saslPassword);
        }

        public Options withPort(int newPort) {
            return new Options(newPort, topics, saslUser, saslPassword);
        }

        public Options withSaslPlain(String user, String password) {
            return new Options(port, topics, user, password);
        }
    }

    /** Starts a broker keeping its data in {@code dataDir} and waits until it accepts clients. */
    public static KafkaBrokerProcess start(Path dataDir, Options options) throws IOException {
        Files.createDirectories(dataDir);
        List<String> command = new ArrayList<>(List.of(javaExecutable(), "-Xmx512m",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                "-Dorg.slf4j.simpleLogger.logFile=System.err",
                // Connection attempts before the listener is up are expected, not worth a warning.
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient=error",
                "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.controller.QuorumController=error",
                "-cp", classpath(), KafkaBrokerMain.class.getName(),
                "--data-dir", dataDir.toAbsolutePath().toString(),
                "--port", String.valueOf(options.port())));
        if (!options.topics().isEmpty()) {
            command.addAll(List.of("--topics", String.join(",", options.topics())));
        }
        if (options.saslUser() != null) {
            command.addAll(List.of("--sasl-user", options.saslUser(), "--sasl-password", options.saslPassword()));
        }
        Path log = dataDir.resolve("broker.log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String bootstrap;
        try {
            bootstrap = awaitReady(process, log);
        } catch (IOException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        return new KafkaBrokerProcess(process, bootstrap, dataDir, options.withPort(portOf(bootstrap)));
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Starts a broker again on the same port and data, after {@link #close()} or {@link #kill()}. */
    public KafkaBrokerProcess restart() throws IOException {
        return start(dataDir, options.withTopics());
    }

    /** Stops the broker as kill -9 would: no clean shutdown. */
    public void kill() {
        process.destroyForcibly();
        waitFor(Duration.ofSeconds(30));
    }

    /** Stops the broker cleanly (SIGTERM), or forcibly if it has not stopped within 30 s. */
    @Override
    public void close() {
        process.destroy();
        if (!waitFor(Duration.ofSeconds(30))) {
            kill();
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    private boolean waitFor(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads the broker's output into its log file, and returns the bootstrap address once it says it is ready. */
    private static String awaitReady(Process process, Path log) throws IOException {
        CompletableFuture<String> ready = new CompletableFuture<>();
        Deque<String> lastLines = new ArrayDeque<>();
        Thread pump = new Thread(() -> pump(process.getInputStream(), log, ready, lastLines), "kafka-broker-output");
        pump.setDaemon(true);
        pump.start();
        try {
            return ready.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the Kafka broker did not start within " + START_TIMEOUT.toSeconds() + " s; see " + log);
        } catch (ExecutionException e) {
            throw new IOException("the Kafka broker exited before it was ready: " + String.join(" | ", lastLines)
                    + " (see " + log + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the Kafka broker", e);
        }
    }

    private static void pump(InputStream output, Path log, CompletableFuture<String> ready, Deque<String> lastLines) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                Writer writer = Files.newBufferedWriter(log, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            String line;
            while ((line = reader.readLine()) != null) {
                writer.write(line);
                writer.write('\n');
                writer.flush();
                synchronized (lastLines) {
                    lastLines.addLast(line);
                    if (lastLines.size() > 5) {
                        lastLines.removeFirst();
                    }
                }
                if (line.startsWith(KafkaBrokerMain.READY)) {
                    ready.complete(line.replaceAll(".*bootstrap=(\\S+).*", "$1"));
                }
            }
        } catch (IOException e) {
            ready.completeExceptionally(new UncheckedIOException(e));
        }
        ready.completeExceptionally(new IllegalStateException("broker output ended"));
    }

    private static int portOf(String bootstrap) {
        return Integer.parseInt(bootstrap.substring(bootstrap.lastIndexOf(':') + 1));
    }

    /** This module's classes, then the broker's dependencies as Maven resolved them. */
    static String classpath() throws IOException {
        String own;
        try {
            own = Path.of(KafkaBrokerMain.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        try (InputStream in = KafkaBrokerProcess.class.getResourceAsStream("broker.classpath")) {
            if (in == null) {
                throw new IOException("broker.classpath is missing: build the kafka-broker module with Maven");
            }
            return own + java.io.File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
