package dev.orders.local;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Every process the launcher starts, stopped when the launcher stops, Ctrl-C included: nothing is left
 * running behind it, and nothing new starts once it is stopping.
 */
final class ChildProcesses {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();
    private static final List<AutoCloseable> TO_CLOSE = new CopyOnWriteArrayList<>();
    private static boolean stopping;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::stopAll, "stop-child-processes"));
    }

    /** Runs a command with this terminal, and returns its exit code. */
    static int run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        // Everything stays on loopback, and Spark does not warn that the host name resolves to it.
        builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = start(builder);
        try {
            return process.waitFor();
        } finally {
            RUNNING.remove(process);
        }
    }

    /** Starts a process that is stopped with the launcher unless {@link #stop} stops it before. */
    static Process start(ProcessBuilder builder) throws IOException, InterruptedException {
        synchronized (ChildProcesses.class) {
            if (stopping) {
                throw new InterruptedException("the launcher is stopping");
            }
            Process process = builder.start();
            RUNNING.add(process);
            return process;
        }
    }

    /**
     * Stops a process {@link #start} started, as Ctrl-C would (SIGTERM, then SIGKILL after {@code grace}), and
     * what it started and left behind.
     */
    static void stop(Process process, Duration grace) {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        descendants.forEach(ProcessHandle::destroyForcibly);
        RUNNING.remove(process);
    }

    /** Closes {@code resource} (a broker, say) if the launcher is stopped before it is closed otherwise. */
    static <T extends AutoCloseable> T closeOnExit(T resource) {
        TO_CLOSE.add(resource);
        return resource;
    }

    static synchronized boolean isStopping() {
        return stopping;
    }

    static void stopAll() {
        synchronized (ChildProcesses.class) {
            stopping = true;
        }
        for (Process process : RUNNING) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
        for (Process process : RUNNING) {
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
        for (int i = TO_CLOSE.size() - 1; i >= 0; i--) { // the last registered first, as try-with-resources
            AutoCloseable resource = TO_CLOSE.get(i);
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("could not stop " + resource + ": " + e.getMessage());
            }
        }
    }

    private ChildProcesses() {
    }
}
