package dev.orders.local;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster on this machine from the Maven jars: a Master and Workers, each a JVM of its
 * own on 127.0.0.1, with a Spark home laid out for the Workers to launch executors from. Everything lives
 * in one work folder under the project's {@code target/}, removed by {@link #close()}.
 */
public final class LocalSparkCluster implements AutoCloseable {
    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final String DAEMON_HEAP = "-Xmx512m";
    private static final Pattern STACK_FRAME = Pattern.compile("^\\s+(at |\\.\\.\\. \\d+ more)");

    /** Port 0: a free one. */
    public record Settings(int workers, int coresPerWorker, String memoryPerWorker, int port, int webUiPort) {
        public Settings {
            if (workers < 1 || coresPerWorker < 1) {
                throw new IllegalArgumentException("a cluster needs at least one worker of at least one core");
            }
            if (!memoryPerWorker.matches("\\d+[mMgG]")) {
                throw new IllegalArgumentException("worker memory '" + memoryPerWorker + "' is not like 512m or 1g");
            }
            if (port < 0 || port > 65535 || webUiPort < 0 || webUiPort > 65535) {
                throw new IllegalArgumentException("a port is a number from 0 (a free one) to 65535");
            }
        }
    }

    /** A JVM of the cluster and the file its output goes to. */
    private record Daemon(String name, Process process, Path log) {
        /** The last lines of its log, stack frames left out. */
        String lastLines() {
            try {
                List<String> lines = (Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8)
                        : List.<String>of()).stream().filter(line -> !STACK_FRAME.matcher(line).find()).toList();
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
            } catch (IOException e) {
                return "(cannot read " + log + ": " + e.getMessage() + ")";
            }
        }
    }

    private final Path workDir;
    private final int port;
    private final int webUiPort;
    private final List<Daemon> daemons = new ArrayList<>();
    private final List<Path> workerDirs = new ArrayList<>();
    private boolean closed;

    private LocalSparkCluster(Path workDir, int port, int webUiPort) {
        this.workDir = workDir;
        this.port = port;
        this.webUiPort = webUiPort;
    }

    /** A Master on {@code port} (0: a free one) and {@code workers} Workers, once all are registered. */
    public static LocalSparkCluster start(ProjectLayout layout, int workers, int coresPerWorker, String memoryPerWorker,
            int port) throws IOException, InterruptedException {
        return start(layout, new Settings(workers, coresPerWorker, memoryPerWorker, port, 0));
    }

    /** Starts the Master, then the Workers, and returns once the Master counts them all alive. */
    public static LocalSparkCluster start(ProjectLayout layout, Settings settings)
            throws IOException, InterruptedException {
        int port = orFreePort(settings.port());
        int webUiPort = orFreePort(settings.webUiPort());
        Path target = Files.createDirectories(layout.root().resolve("target"));
        LocalSparkCluster cluster = new LocalSparkCluster(Files.createTempDirectory(target, "spark-cluster-"), port,
                webUiPort);
        ChildProcesses.closeOnExit(cluster);
        try {
            SparkHome home = SparkHome.layOut(layout, cluster.workDir.resolve("spark-home"));
            Files.createDirectories(cluster.workDir.resolve("logs"));
            cluster.startMaster(layout);
            for (int i = 1; i <= settings.workers(); i++) {
                cluster.startWorker(layout, home, i, settings);
            }
            cluster.awaitAliveWorkers(settings.workers());
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://" + HOST + ":" + port;
    }

    public String webUiUrl() {
        return "http://" + HOST + ":" + webUiPort;
    }

    /** The folder holding the Spark home, the Workers' folders and the daemons' logs. */
    public Path workDir() {
        return workDir;
    }

    /** Each Worker's {@code --work-dir}: a folder per application, in it one per executor with its stdout and stderr. */
    public List<Path> workerDirs() {
        return List.copyOf(workerDirs);
    }

    /** The Master's and Workers' logs. */
    public Path logDir() {
        return workDir.resolve("logs");
    }

    /** Null while every JVM of the cluster runs; else which one exited, with the last lines of its log. */
    public synchronized String exitedDaemon() {
        for (Daemon daemon : daemons) {
            if (!daemon.process().isAlive()) {
                return daemon.name() + " exited with code " + daemon.process().exitValue() + "; last lines of "
                        + daemon.log() + ":\n" + daemon.lastLines();
            }
        }
        return null;
    }

    /** Stops the Workers (and their executors), then the Master, and removes the work folder. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        for (int i = daemons.size() - 1; i >= 0; i--) {
            ChildProcesses.stop(daemons.get(i).process(), STOP_GRACE);
        }
        FileTrees.deleteRecursively(workDir);
    }

    private void startMaster(ProjectLayout layout) throws IOException, InterruptedException {
        List<String> command = javaCommand(layout);
        // A port in use is an error, not a silent move to the next one that nobody would know of.
        command.add(1, "-Dspark.port.maxRetries=0");
        command.addAll(List.of("org.apache.spark.deploy.master.Master", "--host", HOST, "--port",
                String.valueOf(port), "--webui-port", String.valueOf(webUiPort)));
        start("master", command, Map.of());
    }

    private void startWorker(ProjectLayout layout, SparkHome home, int number, Settings settings)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(workDir.resolve("worker-" + number));
        List<String> command = javaCommand(layout);
        command.addAll(List.of("org.apache.spark.deploy.worker.Worker", "--host", HOST,
                "--cores", String.valueOf(settings.coresPerWorker()), "--memory", settings.memoryPerWorker(),
                "--work-dir", dir.toString(), "--webui-port", "0", masterUrl()));
        // What the Worker's launcher needs to build an executor's command: the Spark home for its jars/ and
        // conf/, the Scala version it cannot find there, and the JDK this launcher runs on.
        start("worker-" + number, command, Map.of(
                "SPARK_HOME", home.path().toString(),
                "SPARK_SCALA_VERSION", home.scalaVersion(),
                "JAVA_HOME", System.getProperty("java.home")));
        workerDirs.add(dir);
    }

    private static List<String> javaCommand(ProjectLayout layout) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(DAEMON_HEAP);
        command.addAll(layout.sparkJvmOptions());
        command.add("-Dlog4j2.configurationFile=" + layout.log4jConfig());
        command.add("-cp");
        command.add(layout.sparkClasspath());
        return command;
    }

    private void start(String name, List<String> command, Map<String, String> env)
            throws IOException, InterruptedException {
        Path log = logDir().resolve(name + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("SPARK_CONF_DIR");
        builder.environment().put("SPARK_LOCAL_IP", HOST);
        builder.environment().putAll(env);
        Process process = ChildProcesses.start(builder);
        synchronized (this) {
            daemons.add(new Daemon(name, process, log));
        }
    }

    private void awaitAliveWorkers(int workers) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        int alive = 0;
        while (true) {
            String exited = exitedDaemon();
            if (exited != null) {
                throw new IOException("the Spark cluster did not start: " + exited);
            }
            try {
                alive = SparkMasterStatus.read(webUiUrl()).aliveWorkers();
                if (alive == workers) {
                    return;
                }
            } catch (IOException notUpYet) {
                // The Master's web UI is not listening yet.
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(alive + " of " + workers + " workers registered with the Master within "
                        + START_TIMEOUT.toSeconds() + " s; last lines of the logs:\n" + lastLinesOfAll());
            }
            Thread.sleep(200);
        }
    }

    private synchronized String lastLinesOfAll() {
        StringBuilder text = new StringBuilder();
        for (Daemon daemon : daemons) {
            text.append("== ").append(daemon.name()).append('\n').append(daemon.lastLines()).append('\n');
        }
        return text.toString();
    }

    /** {@code port}, checked to be free; a free one for 0. */
    private static int orFreePort(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (BindException e) {
            throw new IOException("port " + port + " on " + HOST + " is in use: choose another (0: a free one)");
        }
    }
}
