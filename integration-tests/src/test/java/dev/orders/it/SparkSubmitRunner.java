package dev.orders.it;

import dev.orders.local.ProjectLayout;
import dev.orders.local.SparkApp;
import dev.orders.local.SparkSubmit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an app's shaded jar as {@link SparkSubmitIT} does (Spark's own SparkSubmit, in a JVM of its own
 * with only Spark's jars beside it), with stdout and stderr together in a log file, and reports how it
 * ended: exit code, output, and how long it ran.
 */
final class SparkSubmitRunner {
    private static final List<String> SUBMIT_OPTIONS =
            List.of("--master", "local[2]", "--conf", "spark.ui.enabled=false");

    private final ProjectLayout layout = new ProjectLayout(Path.of(System.getProperty("orders.project.dir", "..")));

    /** How a run ended. */
    record Result(SparkApp app, int exitCode, Duration elapsed, Path log) {
        String output() {
            try {
                return Files.readString(log);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        List<String> lines() {
            return output().lines().toList();
        }

        /** The last lines of the output, for assertion messages. */
        String tail() {
            List<String> lines = lines();
            return app + " exited with " + exitCode + " after " + elapsed.toSeconds() + " s; last lines of " + log
                    + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
    }

    /** A started app. */
    final class Running {
        private final SparkApp app;
        private final Process process;
        private final Path log;
        private final long started;

        private Running(SparkApp app, Process process, Path log, long started) {
            this.app = app;
            this.process = process;
            this.log = log;
            this.started = started;
        }

        /**
         * Waits for the app to exit; one still running after {@code timeout} is killed, and the test fails.
         */
        Result await(Duration timeout) throws InterruptedException {
            try {
                if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                    Result killed = result();
                    throw new AssertionError(app + " did not exit within " + timeout.toSeconds() + " s: "
                            + killed.tail());
                }
                return result();
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
        }

        private Result result() {
            return new Result(app, process.exitValue(), Duration.ofNanos(System.nanoTime() - started), log);
        }
    }

    /** Starts {@code app} with these app options and environment variables; its output goes to {@code log}. */
    Running start(SparkApp app, Path log, Map<String, String> env, List<String> appArgs) throws IOException {
        List<String> command = SparkSubmit.command(layout, app, SUBMIT_OPTIONS, appArgs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        builder.environment().putAll(env);
        long started = System.nanoTime();
        return new Running(app, builder.start(), log, started);
    }

    /** Runs {@code app} to its end, or fails the test if it runs longer than {@code timeout}. */
    Result run(SparkApp app, Path log, Duration timeout, List<String> appArgs)
            throws IOException, InterruptedException {
        return start(app, log, Map.of(), appArgs).await(timeout);
    }
}
