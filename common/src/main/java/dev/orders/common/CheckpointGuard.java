package dev.orders.common;

import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Remembers, in the checkpoint folder, what a query was started with (its topic, its watermark, its
 * deduplication key...), and refuses to start the same checkpoint with other values: Spark would either
 * fail with an obscure state error or, worse, carry on with offsets and state that belong to another query.
 *
 * <p>It also gives the checkpoint an id of its own, chosen at random on its first start: what the
 * checkpoint writes elsewhere (an output folder) can be told apart from what another checkpoint wrote,
 * even after the folder was moved, or deleted and started again under the same path.
 */
public final class CheckpointGuard {
    static final String FILE = "orders-pipeline.properties";
    static final String CHECKPOINT_ID = "checkpoint-id";

    /**
     * @return the checkpoint's id
     * @throws StartupException when the checkpoint was started with other values
     */
    public static String verify(Configuration hadoopConf, String checkpointDir, Map<String, String> identity) {
        Path file = new Path(checkpointDir, FILE);
        try {
            FileSystem fs = file.getFileSystem(hadoopConf);
            Optional<Properties> existing = PropertiesFiles.read(fs, file);
            Properties recorded = existing.orElseGet(Properties::new);
            for (Map.Entry<String, String> entry : new TreeMap<>(identity).entrySet()) {
                String before = recorded.getProperty(entry.getKey());
                if (before != null && !before.equals(entry.getValue())) {
                    throw new StartupException("checkpoint " + checkpointDir + " belongs to a query with "
                            + entry.getKey() + "=" + before + ", not " + entry.getValue()
                            + ": use a new --checkpoint-dir (or delete this one to start over)");
                }
            }
            // A new checkpoint records everything; one started before a value (or the id) was recorded learns
            // it now, so that from here on it is checked like the rest.
            boolean learned = false;
            for (Map.Entry<String, String> entry : identity.entrySet()) {
                learned |= recorded.putIfAbsent(entry.getKey(), entry.getValue()) == null;
            }
            learned |= recorded.putIfAbsent(CHECKPOINT_ID, newId()) == null;
            if (learned) {
                PropertiesFiles.write(fs, file, recorded, "what this checkpoint was started with; checked at every start",
                        existing.isPresent());
            }
            return recorded.getProperty(CHECKPOINT_ID);
        } catch (IOException e) {
            throw new StartupException("cannot use checkpoint " + checkpointDir + ": " + e.getMessage(), e);
        }
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private CheckpointGuard() {
    }
}
