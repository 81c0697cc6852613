package dev.orders.consumer;

import dev.orders.common.PropertiesFiles;
import dev.orders.common.StartupException;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A json output folder belongs to the one checkpoint that writes it. Spark's file sink keeps a log of the
 * batches it wrote in {@code <output>/_spark_metadata} and skips any batch id already there: a new
 * checkpoint, which numbers its batches from 0 again, pointed at a used folder would have its first batches
 * thrown away without a word. So the folder holds an owner file naming its checkpoint (its name starts with
 * {@code _}, which Spark's readers skip), and another checkpoint is refused.
 */
final class OutputFolderOwner {
    static final String FILE = "_orders_pipeline_owner";
    private static final String SINK_LOG = "_spark_metadata";
    private static final String CHECKPOINT_ID = "checkpoint-id";
    private static final String CHECKPOINT = "checkpoint";

    /**
     * Makes the checkpoint the folder's owner, or checks that it is.
     *
     * @param checkpointHasCommittedBatch whether the checkpoint already completed a batch: then a sink log
     *     without an owner file is taken as its own (written before owner files existed)
     * @throws StartupException when the folder belongs to another checkpoint
     */
    static void claim(Configuration hadoopConf, String outputDir, String checkpointDir, String checkpointId,
            boolean checkpointHasCommittedBatch) {
        Path owner = new Path(outputDir, FILE);
        try {
            FileSystem fs = owner.getFileSystem(hadoopConf);
            Optional<Properties> owned = PropertiesFiles.read(fs, owner);
            if (owned.isPresent()) {
                Properties recorded = owned.get();
                if (!checkpointId.equals(recorded.getProperty(CHECKPOINT_ID))) {
                    throw refused(outputDir, checkpointDir, "belongs to checkpoint "
                            + recorded.getProperty(CHECKPOINT, "(unknown)"), recorded.getProperty(CHECKPOINT));
                }
                return;
            }
            OptionalLong written = QueryCheckpoint.lastBatchIn(fs, new Path(outputDir, SINK_LOG));
            if (written.isPresent() && !checkpointHasCommittedBatch) {
                throw refused(outputDir, checkpointDir, "holds a sink log written under another checkpoint", null);
            }
            Properties properties = new Properties();
            properties.setProperty(CHECKPOINT_ID, checkpointId);
            properties.setProperty(CHECKPOINT, checkpointDir);
            PropertiesFiles.write(fs, owner, properties,
                    "the checkpoint whose json sink writes this folder; checked at every start", false);
        } catch (IOException e) {
            throw new StartupException("cannot use output folder " + outputDir + ": " + e.getMessage(), e);
        }
    }

    private static StartupException refused(String outputDir, String checkpointDir, String why, String ownerCheckpoint) {
        return new StartupException("output folder " + outputDir + " " + why + " (" + SINK_LOG + "): checkpoint "
                + checkpointDir + " would skip every batch id already recorded there and lose its rows;"
                + " use a new --output-dir, or delete " + outputDir + " to start over, or use "
                + (ownerCheckpoint == null ? "the checkpoint that wrote it" : "--checkpoint-dir " + ownerCheckpoint));
    }

    private OutputFolderOwner() {
    }
}
