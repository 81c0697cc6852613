package dev.orders.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.orders.common.StartupException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderOwnerTest {
    private static final Configuration HADOOP = new Configuration();

    @Test
    void theFirstCheckpointOwnsTheFolderAndAnotherIsRefused(@TempDir Path root) {
        String output = root.resolve("out").toString();
        OutputFolderOwner.claim(HADOOP, output, "/ck/a", "id-a", false);
        OutputFolderOwner.claim(HADOOP, output, "/ck/a-moved", "id-a", true); // the same checkpoint, moved

        StartupException refused = assertThrows(StartupException.class,
                () -> OutputFolderOwner.claim(HADOOP, output, "/ck/b", "id-b", false));

        assertEquals("output folder " + output + " belongs to checkpoint /ck/a (_spark_metadata): checkpoint /ck/b"
                + " would skip every batch id already recorded there and lose its rows; use a new --output-dir,"
                + " or delete " + output + " to start over, or use --checkpoint-dir /ck/a", refused.getMessage());
        assertTrue(Files.exists(root.resolve("out").resolve(OutputFolderOwner.FILE)));
    }

    @Test
    void aSinkLogWithoutOwnerIsRefusedToANewCheckpointAndAdoptedByOneThatCommitted(@TempDir Path root)
            throws Exception {
        Path output = Files.createDirectories(root.resolve("out/_spark_metadata"));
        Files.writeString(output.resolve("0"), "v1\n");

        StartupException refused = assertThrows(StartupException.class,
                () -> OutputFolderOwner.claim(HADOOP, output.getParent().toString(), "/ck/new", "id-new", false));
        assertEquals("output folder " + output.getParent() + " holds a sink log written under another checkpoint"
                + " (_spark_metadata): checkpoint /ck/new would skip every batch id already recorded there and lose"
                + " its rows; use a new --output-dir, or delete " + output.getParent() + " to start over, or use the"
                + " checkpoint that wrote it", refused.getMessage());

        OutputFolderOwner.claim(HADOOP, output.getParent().toString(), "/ck/old", "id-old", true);
        assertThrows(StartupException.class,
                () -> OutputFolderOwner.claim(HADOOP, output.getParent().toString(), "/ck/new", "id-new", false));
    }

    @Test
    void anEmptyOrMissingFolderIsClaimed(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("empty/_spark_metadata"));
        OutputFolderOwner.claim(HADOOP, root.resolve("empty").toString(), "/ck/a", "id-a", false);
        OutputFolderOwner.claim(HADOOP, root.resolve("missing").toString(), "/ck/a", "id-a", false);

        assertTrue(Files.exists(root.resolve("empty").resolve(OutputFolderOwner.FILE)));
        assertTrue(Files.exists(root.resolve("missing").resolve(OutputFolderOwner.FILE)));
    }
}
