package dev.orders.local;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Every process the launcher starts, stopped when the launcher stops, Ctrl-C included: nothing is left
 * running behind it.
 */
final class ChildProcesses {
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ChildProcesses::stopAll, "stop-child-processes"));
    }

    /** Runs a command with this terminal, and returns its exit code. */
    static int run(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
        // Everything stays on loopback, and Spark does not warn that the host name resolves to it.
        builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        RUNNING.add(process);
        try {
            return process.waitFor();
        } finally {
            RUNNING.remove(process);
        }
    }

    static void stopAll() {
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
    }

    private ChildProcesses() {
    }
}
